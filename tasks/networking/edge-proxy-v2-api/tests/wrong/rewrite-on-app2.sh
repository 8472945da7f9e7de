#!/usr/bin/env bash
# Wrong: adds the route (file and live) and the forwarded-for header on gw, but makes app2 accept the stripped paths (/cart/ beside /v2/cart/) instead of fixing the proxy_pass; customers get v2, and the app team's server was changed.
set -euo pipefail
sed -i 's#^    address 10.0.2.1/24$#&\n    up ip route add 10.0.4.0/24 via 10.0.2.2#' /etc/netns/gw/network/interfaces
on gw ip route add 10.0.4.0/24 via 10.0.2.2
sed -i 's#^            proxy_set_header Host api-v2.apps.internal;$#&\n            proxy_set_header X-Forwarded-For $remote_addr;#' /etc/netns/gw/nginx/nginx.conf
systemctl restart gw-nginx
sed -i 's#^        location /v2/cart/ {$#        location /cart/ {\n            return 200 '"'"'{"api":"v2","cart":{"items":2,"total":"31.80","currency":"EUR"}}\\n'"'"';\n        }\n&#' /etc/netns/app2/nginx/nginx.conf
systemctl restart app2-nginx
