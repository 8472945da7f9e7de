#!/usr/bin/env bash
# Wrong: give /run/courier to the courier account by hand, restart courierd, and keep the digest from deleting it; it works until the next reboot, when tmpfiles.d makes the folder root's again.
set -euo pipefail
chown courier:courier /run/courier
chmod 750 /run/courier
mkdir -p /etc/systemd/system/courier-digest.service.d
printf '[Service]\nRuntimeDirectoryPreserve=yes\n' >/etc/systemd/system/courier-digest.service.d/preserve.conf
systemctl daemon-reload
systemctl restart courierd.service
