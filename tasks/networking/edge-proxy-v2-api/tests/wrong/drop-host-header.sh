#!/usr/bin/env bash
# Wrong: adds the route (file and live), removes the "/" after the upstream, and deletes the location's Host header so that the server's headers apply again; the forwarded-for header comes back, and app2 answers 421 to a Host it does not serve.
set -euo pipefail
sed -i 's#^    address 10.0.2.1/24$#&\n    up ip route add 10.0.4.0/24 via 10.0.2.2#' /etc/netns/gw/network/interfaces
on gw ip route add 10.0.4.0/24 via 10.0.2.2
sed -i -e 's#proxy_pass http://shop_api_v2/;#proxy_pass http://shop_api_v2;#' \
  -e '/^            proxy_set_header Host api-v2.apps.internal;$/d' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
