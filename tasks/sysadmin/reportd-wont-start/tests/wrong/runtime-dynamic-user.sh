#!/usr/bin/env bash
# Wrong: a dynamic reportd account and state folder from a drop-in under /run (`systemctl edit --runtime`); it runs until the next reboot, when the account is missing again.
set -euo pipefail
mkdir -p /run/systemd/system/reportd.service.d
printf '[Service]\nDynamicUser=yes\nStateDirectory=reportd\n' > /run/systemd/system/reportd.service.d/override.conf
systemctl daemon-reload
systemctl restart reportd.service
