#!/usr/bin/env bash
# systemd itself listens on port 80 for hostinfo.socket: move the socket to 8081, then start nginx.
set -euo pipefail
ss -ltnp 'sport = :80'
mkdir -p /etc/systemd/system/hostinfo.socket.d
cat > /etc/systemd/system/hostinfo.socket.d/port.conf <<'UNIT'
[Socket]
ListenStream=
ListenStream=8081
UNIT
systemctl daemon-reload
systemctl restart hostinfo.socket
systemctl restart nginx
