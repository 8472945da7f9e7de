#!/usr/bin/env bash
# Wrong: adds the route (file and live) and removes the "/" after the upstream; API v2 answers, and app2's audit log shows no customer address ("-"), since the location's own proxy_set_header drops the server's X-Forwarded-For.
set -euo pipefail
sed -i 's#^    address 10.0.2.1/24$#&\n    up ip route add 10.0.4.0/24 via 10.0.2.2#' /etc/netns/gw/network/interfaces
on gw ip route add 10.0.4.0/24 via 10.0.2.2
sed -i 's#proxy_pass http://shop_api_v2/;#proxy_pass http://shop_api_v2;#' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
