#!/usr/bin/env bash
# Wrong: does the whole fix but has nginx keep each DNS answer for 5 minutes (resolver valid=300s); customers get green, and a switch takes up to 5 minutes to reach them.
set -euo pipefail
sed -i 's#^        ip daddr { 10.0.2.21, 10.0.2.22 } tcp dport 8080 accept comment "the API servers (blue, green)"$#&\n        ip daddr 10.0.2.53 meta l4proto { tcp, udp } th dport 53 accept comment "DNS"#' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
sed -i '/^# INC-5120/d; /api\.corp\.example$/d' /etc/netns/gw/hosts
sed -i -e 's#^    proxy_read_timeout 10s;$#&\n    resolver 10.0.2.53 valid=300s ipv6=off;#' -e 's#^            proxy_pass http://api.corp.example:8080;$#            set $orders_api http://api.corp.example:8080;\n            proxy_pass $orders_api;#' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
