#!/usr/bin/env bash
# Wrong: adds the route (file and live) and sends the whole API to the new servers (v1 too); v2 works, and the mobile app's v1 calls get 404 from app2.
set -euo pipefail
sed -i 's#^    address 10.0.2.1/24$#&\n    up ip route add 10.0.4.0/24 via 10.0.2.2#' /etc/netns/gw/network/interfaces
on gw ip route add 10.0.4.0/24 via 10.0.2.2
sed -i -e 's#proxy_pass http://shop_api_v1;#proxy_set_header Host api-v2.apps.internal;\n            proxy_set_header X-Forwarded-For $remote_addr;\n            proxy_pass http://shop_api_v2;#' \
  -e 's#proxy_pass http://shop_api_v2/;#proxy_pass http://shop_api_v2;#' \
  -e 's#^            proxy_set_header Host api-v2.apps.internal;$#&\n            proxy_set_header X-Forwarded-For $remote_addr;#' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
