#!/usr/bin/env bash
# Wrong: RuntimeDirectory=priced in a drop-in, then priced started by hand; it answers, but at boot it still starts alongside secretsync, not after it, and fails on the missing key.
set -euo pipefail
mkdir -p /etc/systemd/system/priced.service.d
printf '[Service]\nRuntimeDirectory=priced\n' >/etc/systemd/system/priced.service.d/rundir.conf
systemctl daemon-reload
systemctl start priced.service
