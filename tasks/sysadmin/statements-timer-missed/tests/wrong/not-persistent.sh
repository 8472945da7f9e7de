#!/usr/bin/env bash
# Wrong: the timer pointed at its service on the right calendar, and December's statements sent, but without Persistent=true: a 1st spent in patch night sends nothing that month.
set -euo pipefail
printf '[Unit]\nDescription=Monthly customer statements\n\n[Timer]\nUnit=statements.service\nOnCalendar=*-*-01 07:00:00\n\n[Install]\nWantedBy=timers.target\n' >/etc/systemd/system/monthly-statements.timer
systemctl daemon-reload
systemctl restart monthly-statements.timer
systemctl start statements.service
