#!/usr/bin/env bash
# Wrong: the right drop-in, but under /run (what `systemctl edit --runtime` writes) instead of the broken one in /etc; quoted runs until the next reboot.
set -euo pipefail
rm -rf /etc/systemd/system/quoted.service.d
mkdir -p /run/systemd/system/quoted.service.d
printf '[Service]\nEnvironmentFile=\nEnvironmentFile=/etc/quoted/quoted.env\n' > /run/systemd/system/quoted.service.d/override.conf
systemctl daemon-reload
systemctl restart quoted.service
