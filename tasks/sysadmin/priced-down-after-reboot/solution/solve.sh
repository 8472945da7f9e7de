#!/usr/bin/env bash
# Two faults, one behind the other: priced keeps its pid file and state in /run/priced, which someone once
# made by hand (a reboot empties /run), so it needs RuntimeDirectory=; and priced only Wants= secretsync,
# without After=, so at boot both start at once and priced reads /run/keys/priced.key before secretsync
# has written it (the boot's journal says so; by the time anyone looks, the key is there). Both go in a
# drop-in; starting priced by hand now proves only the first.
set -euo pipefail
systemctl status priced.service --no-pager || true
journalctl -b -u priced.service -u secretsync.service --no-pager -o short-precise | tail -n 20
systemctl cat priced.service secretsync.service
cat /etc/priced/priced.conf
ls -l /run/keys /run/priced || true
mkdir -p /etc/systemd/system/priced.service.d
printf '[Unit]\nAfter=secretsync.service\nRequires=secretsync.service\n\n[Service]\nRuntimeDirectory=priced\n' \
  >/etc/systemd/system/priced.service.d/boot-order.conf
systemctl daemon-reload
systemctl start priced.service
curl -s --retry 20 --retry-connrefused --retry-delay 1 http://127.0.0.1:8086/health
# As at boot: both stopped, /run emptied, both started in one transaction.
systemctl stop priced.service secretsync.service
rm -rf /run/keys /run/priced
systemctl start secretsync.service priced.service
curl -s --retry 20 --retry-connrefused --retry-delay 1 http://127.0.0.1:8086/v1/price?sku=SKU-1001
