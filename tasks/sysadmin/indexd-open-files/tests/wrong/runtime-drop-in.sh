#!/usr/bin/env bash
# Wrong: the right settings, but in a runtime drop-in (systemctl edit --runtime writes under /run); indexd serves until the next reboot, then fails again with 1024 files.
set -euo pipefail
mkdir -p /run/systemd/system/indexd.service.d
printf '[Service]\nLimitNOFILE=8192\nReadWritePaths=/var/lib/indexd\n' >/run/systemd/system/indexd.service.d/zzz-indexd.conf
printf 'indexd soft nofile 8192\nindexd hard nofile 8192\n' >/etc/security/limits.d/91-indexd.conf
systemctl daemon-reload
systemctl reset-failed indexd.service
systemctl restart indexd.service
