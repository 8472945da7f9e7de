#!/usr/bin/env bash
# Wrong: RuntimeDirectory=priced and Restart=on-failure with a pause; priced ends up running after a boot, but only after failing first, which pages the on-call every time.
set -euo pipefail
mkdir -p /etc/systemd/system/priced.service.d
printf '[Service]\nRuntimeDirectory=priced\nRestart=on-failure\nRestartSec=4\n' >/etc/systemd/system/priced.service.d/retry.conf
systemctl daemon-reload
systemctl start priced.service
