#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/reportd /opt/reportd/server.py
cat > /etc/systemd/system/reportd.service <<'UNIT'
[Unit]
Description=reportd reporting daemon
After=network.target

[Service]
User=reportd
Group=reportd
ExecStart=/usr/bin/python3 /opt/reportd/server.py
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
mkdir -p /var/lib/reportd
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/reportd.service /etc/systemd/system/multi-user.target.wants/reportd.service
systemctl daemon-reload
systemctl start reportd.service 2>/dev/null || true
