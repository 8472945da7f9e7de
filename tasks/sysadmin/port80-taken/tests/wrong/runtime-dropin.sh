#!/usr/bin/env bash
# Wrong: move the socket with a drop-in under /run (what `systemctl edit --runtime` writes); both answer, until the next reboot puts hostinfo back on port 80.
set -euo pipefail
mkdir -p /run/systemd/system/hostinfo.socket.d
printf '[Socket]\nListenStream=\nListenStream=8081\n' > /run/systemd/system/hostinfo.socket.d/port.conf
systemctl daemon-reload
systemctl restart hostinfo.socket
systemctl restart nginx
