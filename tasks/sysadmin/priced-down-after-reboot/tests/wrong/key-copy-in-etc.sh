#!/usr/bin/env bash
# Wrong: keep a copy of the key in /etc/priced and point priced at it, with its runtime folder fixed; it comes up at every boot, but with this month's key for ever: the vault's rotation never reaches it.
set -euo pipefail
install -m 640 -o root -g priced /run/keys/priced.key /etc/priced/feed.key
sed -i 's|^key_file = .*|key_file = /etc/priced/feed.key|' /etc/priced/priced.conf
mkdir -p /etc/systemd/system/priced.service.d
printf '[Service]\nRuntimeDirectory=priced\n' >/etc/systemd/system/priced.service.d/rundir.conf
systemctl daemon-reload
systemctl start priced.service
