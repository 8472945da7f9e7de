#!/usr/bin/env bash
# Wrong: OnCalendar=monthly with Persistent=true, and December's statements sent; "monthly" fires at midnight on the 1st, not at 07:00.
set -euo pipefail
printf '[Unit]\nDescription=Monthly customer statements\n\n[Timer]\nUnit=statements.service\nOnCalendar=monthly\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n' >/etc/systemd/system/monthly-statements.timer
systemctl daemon-reload
systemctl restart monthly-statements.timer
systemctl start statements.service
