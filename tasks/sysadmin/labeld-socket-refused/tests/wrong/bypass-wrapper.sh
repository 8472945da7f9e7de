#!/usr/bin/env bash
# Wrong: the socket enabled on 127.0.0.1:9100, and the unit starting labeld.py directly (from its spool folder) instead of through the wrapper that forks it; labeld accepts the socket and prints, but on its default printer, not the packing printer the site's settings (/etc/default/labeld) name.
set -euo pipefail
sed -i 's/^ListenStream=.*/ListenStream=127.0.0.1:9100/' /etc/systemd/system/labeld.socket
sed -i 's|^ExecStart=.*|WorkingDirectory=/var/spool/labeld\nExecStart=/usr/bin/python3 /opt/labeld/labeld.py|' /etc/systemd/system/labeld.service
systemctl daemon-reload
systemctl enable --now labeld.socket
