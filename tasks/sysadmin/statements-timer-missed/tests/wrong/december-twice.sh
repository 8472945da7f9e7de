#!/usr/bin/env bash
# Wrong: the timer repaired, December's statements sent by hand as billing, then once more through the service to check it works; every customer gets December's statement twice.
set -euo pipefail
printf '[Unit]\nDescription=Monthly customer statements\n\n[Timer]\nUnit=statements.service\nOnCalendar=*-*-01 07:00:00\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n' >/etc/systemd/system/monthly-statements.timer
systemctl daemon-reload
systemctl restart monthly-statements.timer
setpriv --reuid=billing --regid=billing --init-groups /usr/local/bin/send-statements
systemctl start statements.service
