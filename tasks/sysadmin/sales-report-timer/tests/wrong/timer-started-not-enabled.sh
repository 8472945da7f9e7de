#!/usr/bin/env bash
# Wrong: every fault repaired, but the timer only started (systemctl start), not enabled; after the next reboot nothing schedules the report again.
set -euo pipefail
mkdir -p /etc/systemd/system/sales-report.service.d
printf '[Service]\nWorkingDirectory=/opt/reports\n' >/etc/systemd/system/sales-report.service.d/workdir.conf
systemctl daemon-reload
chown -R reports:managers /srv/reports/daily
chmod 2750 /srv/reports/daily
chmod 640 /srv/reports/daily/sales-*.txt
systemctl start sales-report.timer
