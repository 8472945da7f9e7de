#!/usr/bin/env bash
# Wrong: every timer fault repaired in a runtime drop-in (systemctl edit --runtime) and December's statements sent; it holds until the next boot, then the timer refuses to start again.
set -euo pipefail
mkdir -p /run/systemd/system/monthly-statements.timer.d
printf '[Timer]\nUnit=statements.service\nOnCalendar=\nOnCalendar=*-*-01 07:00:00\nPersistent=true\n' >/run/systemd/system/monthly-statements.timer.d/override.conf
systemctl daemon-reload
systemctl restart monthly-statements.timer
systemctl start statements.service
