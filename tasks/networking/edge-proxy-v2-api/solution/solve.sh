#!/usr/bin/env bash
# Three faults on the new path: gw has no route to the application segment (behind core, 10.0.2.2);
# its proxy_pass to app2 ends in "/", which replaces the /v2/ prefix; and the location's own
# proxy_set_header Host makes nginx drop every header set at the server level (X-Forwarded-For).
set -euo pipefail
on client curl -s --max-time 8 -w ' %{http_code}\n' http://203.0.113.1/v2/cart/42
tail -n 3 /var/log/nginx/gw-error.log
on gw nginx -T
on gw ip route get 10.0.4.20
on core ip -br address
# gw: the application segment is behind core; at boot too.
sed -i 's#^    address 10.0.2.1/24$#&\n    up ip route add 10.0.4.0/24 via 10.0.2.2#' /etc/netns/gw/network/interfaces
on gw ip route add 10.0.4.0/24 via 10.0.2.2
on client curl -s --max-time 8 -w ' %{http_code}\n' http://203.0.113.1/v2/cart/42
tail -n 2 /var/log/nginx/app2-access.log
# gw: keep the URI as it is (no "/" after the upstream), and set the audit headers in the location too
# (a location with proxy_set_header of its own inherits none from the server).
sed -i -e 's#proxy_pass http://shop_api_v2/;#proxy_pass http://shop_api_v2;#' \
  -e 's#^            proxy_set_header Host api-v2.apps.internal;$#&\n            proxy_set_header X-Forwarded-For $remote_addr;\n            proxy_set_header X-Forwarded-Proto $scheme;#' /etc/netns/gw/nginx/nginx.conf
on gw nginx -t
systemctl restart gw-nginx
on client curl -s --retry 5 --retry-connrefused --retry-delay 1 --max-time 10 http://203.0.113.1/v2/cart/42
tail -n 1 /var/log/nginx/app2-access.log
on client curl -s --max-time 5 http://203.0.113.1/v1/cart/42
on app1 nc -z -w 2 10.0.4.20 8080 || true
