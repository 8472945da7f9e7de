#!/usr/bin/env bash
# Wrong: fix the clean-up's path but make it remove sessions idle for more than an hour, "to be safe"; the volume empties, and most of the customers active today are logged out.
set -euo pipefail
mkdir -p /etc/systemd/system/shopd-session-gc.service.d
printf '[Service]\nExecStart=\nExecStart=/usr/bin/find /srv/sessions -type f -mmin +60 -delete\n' >/etc/systemd/system/shopd-session-gc.service.d/fix.conf
systemctl daemon-reload
systemctl start shopd-session-gc.service
