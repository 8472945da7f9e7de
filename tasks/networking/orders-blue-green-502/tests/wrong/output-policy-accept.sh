#!/usr/bin/env bash
# Wrong: makes the proxy resolve at run time and removes the pin, but sets gw's output policy to accept instead of letting DNS out (nftables.conf, loaded); everything works, and the proxy can reach any host and port.
set -euo pipefail
sed -i '/chain output/,/}/ s/policy drop;/policy accept;/' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
sed -i '/^# INC-5120/d; /api\.corp\.example$/d' /etc/netns/gw/hosts
sed -i -e 's#^    proxy_read_timeout 10s;$#&\n    resolver 10.0.2.53 valid=5s ipv6=off;#' -e 's#^            proxy_pass http://api.corp.example:8080;$#            set $orders_api http://api.corp.example:8080;\n            proxy_pass $orders_api;#' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
