#!/usr/bin/env bash
# Wrong: run wikid as root (it then reads the root-owned pages) with an open socket and folder; the wiki answers, but the service runs with every privilege and anyone can use its socket.
set -euo pipefail
mkdir -p /etc/systemd/system/wikid.service.d
printf '[Service]\nUser=root\nGroup=root\nRuntimeDirectoryMode=0755\n' > /etc/systemd/system/wikid.service.d/root.conf
sed -i 's/^socket_mode = .*/socket_mode = 0666/' /etc/wikid/wikid.ini
systemctl daemon-reload
systemctl reset-failed wikid.service
systemctl restart wikid.service
