#!/usr/bin/env bash
set -euo pipefail
chmod 755 /usr/local/bin/hostinfo
cat > /etc/systemd/system/hostinfo.socket <<'UNIT'
[Unit]
Description=Host information for the monitoring

[Socket]
ListenStream=80
Accept=yes

[Install]
WantedBy=sockets.target
UNIT
cat > /etc/systemd/system/hostinfo@.service <<'UNIT'
[Unit]
Description=Host information for the monitoring (connection)

[Service]
ExecStart=/usr/local/bin/hostinfo
StandardInput=socket
StandardOutput=socket
DynamicUser=yes
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
mkdir -p /etc/systemd/system/sockets.target.wants
ln -s ../hostinfo.socket /etc/systemd/system/sockets.target.wants/hostinfo.socket
systemctl daemon-reload
systemctl stop nginx
systemctl start hostinfo.socket
systemctl start nginx 2>/dev/null || true
