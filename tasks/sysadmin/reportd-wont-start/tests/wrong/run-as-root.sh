#!/usr/bin/env bash
# Wrong: a drop-in that runs reportd as root because its account is missing; it starts, with every privilege.
set -euo pipefail
mkdir -p /etc/systemd/system/reportd.service.d
printf '[Service]\nUser=root\nGroup=root\n' > /etc/systemd/system/reportd.service.d/user.conf
systemctl daemon-reload
systemctl restart reportd.service
