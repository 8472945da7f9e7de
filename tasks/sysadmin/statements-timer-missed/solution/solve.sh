#!/usr/bin/env bash
# Three faults: the timer is named monthly-statements.timer but its service is statements.service, so
# systemd refuses to start it (no Unit=); its OnCalendar=*-01-* fires every day of January, not on the
# 1st of each month (list-timers' next run, January 1st, looks right); and it is not Persistent=, so a run
# missed during patch night is lost. Then send December's statements once, through the service.
set -euo pipefail
systemctl status monthly-statements.timer --no-pager || true
systemctl cat monthly-statements.timer statements.service
tail -n 3 /var/log/statements/sent.log
systemd-analyze calendar --iterations=3 '*-01-* 07:00:00'
cat >/etc/systemd/system/monthly-statements.timer <<'UNIT'
[Unit]
Description=Monthly customer statements, 07:00 on the 1st (was cron: 0 7 1 * *)

[Timer]
Unit=statements.service
OnCalendar=*-*-01 07:00:00
Persistent=true

[Install]
WantedBy=timers.target
UNIT
systemd-analyze verify /etc/systemd/system/monthly-statements.timer
systemctl daemon-reload
systemctl restart monthly-statements.timer
systemctl list-timers monthly-statements.timer --no-pager
systemctl start statements.service
journalctl -u statements.service -n 2 --no-pager
grep -c ' sent 2026-12 ' /var/log/statements/sent.log
