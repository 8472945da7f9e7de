#!/usr/bin/env bash
# Wrong: fixes the proxy's configuration (in its file) but adds gw's route to the application segment live only; API v2 works until gw reboots.
set -euo pipefail
sed -i -e 's#proxy_pass http://shop_api_v2/;#proxy_pass http://shop_api_v2;#' \
  -e 's#^            proxy_set_header Host api-v2.apps.internal;$#&\n            proxy_set_header X-Forwarded-For $remote_addr;#' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
on gw ip route add 10.0.4.0/24 via 10.0.2.2
