#!/usr/bin/env bash
# Wrong: the working directory and the timer right, but the share opened with chmod -R 777 so that both the job and the managers get in; every account can now read the confidential reports and write to the share.
set -euo pipefail
mkdir -p /etc/systemd/system/sales-report.service.d
printf '[Service]\nWorkingDirectory=/opt/reports\n' >/etc/systemd/system/sales-report.service.d/workdir.conf
systemctl daemon-reload
chmod -R 777 /srv/reports/daily
systemctl enable --now sales-report.timer
systemctl start sales-report.service
