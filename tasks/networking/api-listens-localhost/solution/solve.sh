#!/usr/bin/env bash
# nginx on app listens on the loopback address only: let it listen on every address, and restart it.
set -euo pipefail
sed -i 's/listen 127.0.0.1:8080;/listen 8080;/' /etc/netns/app/nginx/nginx.conf
on app nginx -t
systemctl restart app-nginx.service
for _ in $(seq 1 20); do on client curl -s --max-time 2 http://10.0.1.20:8080/ >/dev/null && break; sleep 1; done
