#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/priced /usr/local/sbin/secretsync
chmod 644 /opt/priced/priced.py
useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin priced
mkdir -p /etc/priced /etc/secretsync /var/lib/secretsync/kv
cat >/etc/priced/priced.conf <<'CONF'
[server]
port = 8086
state_dir = /run/priced

[feed]
url = https://fx-feed.example.net/v2/rates
key_file = /run/keys/priced.key
CONF
printf '# NAME GROUP: /run/keys/NAME.key, readable by root and GROUP\npriced priced\n' >/etc/secretsync/secrets
printf 'id: fx-2026-11\nsecret: %s\n' "$(head -c 24 /dev/urandom | base64)" >/var/lib/secretsync/kv/priced
chmod 700 /var/lib/secretsync /var/lib/secretsync/kv
chmod 600 /var/lib/secretsync/kv/priced
cat >/etc/systemd/system/secretsync.service <<'UNIT'
[Unit]
Description=secretsync: the services' secrets from the vault into /run/keys
After=network.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/secretsync

[Install]
WantedBy=multi-user.target
UNIT
cat >/etc/systemd/system/priced.service <<'UNIT'
[Unit]
Description=priced, the pricing API
Wants=secretsync.service
After=network.target

[Service]
User=priced
Group=priced
ExecStart=/usr/bin/python3 /opt/priced/priced.py

[Install]
WantedBy=multi-user.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/secretsync.service /etc/systemd/system/multi-user.target.wants/secretsync.service
ln -s /etc/systemd/system/priced.service /etc/systemd/system/multi-user.target.wants/priced.service
systemctl daemon-reload
# This morning's boot: /run is empty, and both start in one transaction.
rm -rf /run/priced /run/keys
systemctl start secretsync.service priced.service 2>/dev/null || true
