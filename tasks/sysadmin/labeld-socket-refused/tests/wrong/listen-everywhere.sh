#!/usr/bin/env bash
# Wrong: the socket enabled, the wrapper exec'ing labeld, and the socket on port 9100 of every address ("so that IPv4 and IPv6 both work"); labels print, and anyone who reaches the server can print or flood the printer.
set -euo pipefail
sed -i 's/^ListenStream=.*/ListenStream=9100/' /etc/systemd/system/labeld.socket
sed -i 's|^/usr/bin/python3 /opt/labeld/labeld.py|exec /usr/bin/python3 /opt/labeld/labeld.py|' /usr/local/bin/labeld-run
systemctl daemon-reload
systemctl enable --now labeld.socket
