#!/usr/bin/env bash
# Three faults: the timer was never enabled after the move from cron; the job reads its configuration
# relative to its folder (etc/report.conf), and a service starts in /, so it needs a WorkingDirectory; and
# the share was copied to the new disk with cp -r as root, which left it root's, without its managers
# group and setgid bit (the reports account cannot write it, the managers cannot read it).
set -euo pipefail
systemctl list-timers --all --no-pager
systemctl status sales-report.timer --no-pager || true
journalctl -u sales-report.service -n 10 --no-pager
cat /opt/reports/bin/sales-report
mkdir -p /etc/systemd/system/sales-report.service.d
printf '[Service]\nWorkingDirectory=/opt/reports\n' >/etc/systemd/system/sales-report.service.d/workdir.conf
systemctl daemon-reload
systemctl start sales-report.service || true
journalctl -u sales-report.service -n 3 --no-pager
ls -la /srv/reports/daily
chown -R reports:managers /srv/reports/daily
chmod 2750 /srv/reports/daily
chmod 640 /srv/reports/daily/sales-*.txt
systemctl start sales-report.service
systemctl enable --now sales-report.timer
systemctl list-timers sales-report.timer --no-pager
runuser -u mia -- ls -l /srv/reports/daily
