#!/usr/bin/env bash
# Wrong: the address and the wrapper fixed, and the socket started by hand as at the move, not enabled; labels print until the next reboot.
set -euo pipefail
sed -i 's/^ListenStream=.*/ListenStream=127.0.0.1:9100/' /etc/systemd/system/labeld.socket
sed -i 's|^/usr/bin/python3 /opt/labeld/labeld.py|exec /usr/bin/python3 /opt/labeld/labeld.py|' /usr/local/bin/labeld-run
systemctl daemon-reload
systemctl start labeld.socket
