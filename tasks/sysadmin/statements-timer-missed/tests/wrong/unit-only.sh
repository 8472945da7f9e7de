#!/usr/bin/env bash
# Wrong: point the timer at statements.service (it starts now; list-timers shows the next run on January 1st at 07:00) and send December's statements; the calendar still fires every day of January, and a missed run is not made up.
set -euo pipefail
sed -i 's/^\[Timer\]$/[Timer]\nUnit=statements.service/' /etc/systemd/system/monthly-statements.timer
systemctl daemon-reload
systemctl restart monthly-statements.timer
systemctl start statements.service
