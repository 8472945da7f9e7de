#!/usr/bin/env bash
# Wrong: moves nginx from 127.0.0.1 to the LAN address only; the office gets the API, but app itself can no longer open /admin/ (its loopback listener is gone, and /admin/ admits 127.0.0.1 only).
set -euo pipefail
sed -i 's/listen 127.0.0.1:8080;/listen 10.0.1.20:8080;/' /etc/netns/app/nginx/nginx.conf
systemctl restart app-nginx.service
