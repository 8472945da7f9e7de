#!/usr/bin/env bash
# Wrong: stop hostinfo.socket for now and add a second socket on 8081; at the next boot the old socket, still enabled, takes port 80 before nginx starts.
set -euo pipefail
systemctl stop hostinfo.socket
sed 's/^ListenStream=80$/ListenStream=8081/' /etc/systemd/system/hostinfo.socket > /etc/systemd/system/hostinfo8081.socket
ln -s hostinfo@.service /etc/systemd/system/hostinfo8081@.service
ln -s ../hostinfo8081.socket /etc/systemd/system/sockets.target.wants/hostinfo8081.socket
systemctl daemon-reload
systemctl start hostinfo8081.socket
systemctl start nginx
