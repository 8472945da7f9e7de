#!/usr/bin/env bash
# Wrong: makes the proxy resolve at run time and removes the pin (in their files), but lets DNS out of gw's firewall with a live rule only; after gw reboots the proxy cannot resolve the API and answers 502.
set -euo pipefail
on gw nft add rule inet filter output ip daddr 10.0.2.53 udp dport 53 accept
sed -i '/^# INC-5120/d; /api\.corp\.example$/d' /etc/netns/gw/hosts
sed -i -e 's#^    proxy_read_timeout 10s;$#&\n    resolver 10.0.2.53 valid=5s ipv6=off;#' -e 's#^            proxy_pass http://api.corp.example:8080;$#            set $orders_api http://api.corp.example:8080;\n            proxy_pass $orders_api;#' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
