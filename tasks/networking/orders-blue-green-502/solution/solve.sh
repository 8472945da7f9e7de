#!/usr/bin/env bash
# Three faults: gw's /etc/hosts pins the API's name to blue; nginx resolves a name in proxy_pass once,
# at start (a switch never reaches it); and gw's firewall lets no DNS query out (why the pin was made).
# The proxy gets DNS through its firewall and asks the DNS server at run time (resolver, a variable in
# proxy_pass), the pin goes.
set -euo pipefail
on client curl -s --max-time 5 -w ' %{http_code}\n' http://203.0.113.1/v1/orders
tail -n 2 /var/log/nginx/gw-error.log
on gw getent hosts api.corp.example
on gw cat /etc/hosts
on gw dig +time=2 +tries=1 @10.0.2.53 api.corp.example || true
on gw nft list ruleset
# gw's firewall: DNS to the DMZ's DNS server.
sed -i 's#^        ip daddr { 10.0.2.21, 10.0.2.22 } tcp dport 8080 accept comment "the API servers (blue, green)"$#&\n        ip daddr 10.0.2.53 meta l4proto { tcp, udp } th dport 53 accept comment "DNS"#' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
on gw dig +short @10.0.2.53 api.corp.example
# The stale pin goes; nginx asks the DNS server at run time, so a switch reaches it within seconds.
sed -i '/^# INC-5120/d; /api\.corp\.example$/d' /etc/netns/gw/hosts
sed -i -e 's#^    proxy_read_timeout 10s;$#&\n    resolver 10.0.2.53 valid=5s ipv6=off;#' \
  -e 's#^            proxy_pass http://api.corp.example:8080;$#            set $orders_api http://api.corp.example:8080;\n            proxy_pass $orders_api;#' /etc/netns/gw/nginx/nginx.conf
on gw nginx -t
systemctl restart gw-nginx
on client curl -s --retry 5 --retry-connrefused --retry-delay 1 --max-time 10 http://203.0.113.1/v1/orders
