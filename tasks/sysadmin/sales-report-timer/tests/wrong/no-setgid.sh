#!/usr/bin/env bash
# Wrong: the share given back to reports and managers but without its setgid bit (chmod 750), the working directory and the timer right; the old reports are readable again, but each new report is created in the reports group, which the managers are not in.
set -euo pipefail
mkdir -p /etc/systemd/system/sales-report.service.d
printf '[Service]\nWorkingDirectory=/opt/reports\n' >/etc/systemd/system/sales-report.service.d/workdir.conf
systemctl daemon-reload
chown -R reports:managers /srv/reports/daily
chmod 750 /srv/reports/daily
chmod 640 /srv/reports/daily/sales-*.txt
systemctl enable --now sales-report.timer
