#!/usr/bin/env bash
# Wrong: everything fixed, and labeld.service enabled at boot too "so that the first label is fast"; it prints, but labeld runs from boot, which the socket activation was for avoiding.
set -euo pipefail
sed -i 's/^ListenStream=.*/ListenStream=127.0.0.1:9100/' /etc/systemd/system/labeld.socket
sed -i 's|^/usr/bin/python3 /opt/labeld/labeld.py|exec /usr/bin/python3 /opt/labeld/labeld.py|' /usr/local/bin/labeld-run
printf '\n[Install]\nWantedBy=multi-user.target\n' >>/etc/systemd/system/labeld.service
systemctl daemon-reload
systemctl enable --now labeld.socket labeld.service
