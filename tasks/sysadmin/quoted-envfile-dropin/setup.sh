#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/quoted /opt/quoted/quoted.py
chmod 644 /usr/lib/systemd/system/quoted.service
mkdir -p /etc/quoted /etc/systemd/system/quoted.service.d
cat > /etc/quoted/quoted.env <<'ENV'
QUOTED_PORT=8095
QUOTED_GREETING="Ship small changes, often."
ENV
cat > /etc/systemd/system/quoted.service.d/override.conf <<'UNIT'
[Service]
EnvironmentFile=/etc/quoted/quoted.conf
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
mkdir -p /etc/systemd/system/multi-user.target.wants
ln -s /usr/lib/systemd/system/quoted.service /etc/systemd/system/multi-user.target.wants/quoted.service
systemctl daemon-reload
systemctl start quoted.service 2>/dev/null || true
