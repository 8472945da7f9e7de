#!/usr/bin/env bash
# Wrong: enable the socket and move it to 127.0.0.1:9100, and stop there; the connection is accepted now, but labeld refuses the socket its wrapper was handed and every start fails.
set -euo pipefail
sed -i 's/^ListenStream=.*/ListenStream=127.0.0.1:9100/' /etc/systemd/system/labeld.socket
systemctl daemon-reload
systemctl enable --now labeld.socket
