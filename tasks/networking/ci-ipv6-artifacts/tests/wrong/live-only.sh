#!/usr/bin/env bash
# Wrong: fixes the router's forwarding, repo's neighbour discovery and its IPv6 route with live commands only (nginx in its file); the runners fetch now, and after rtr and repo reboot IPv6 is dead again.
set -euo pipefail
on rtr sysctl -w net.ipv6.conf.all.forwarding=1
on repo nft insert rule inet filter input icmpv6 type '{ nd-neighbor-solicit, nd-neighbor-advert, echo-request }' accept
on repo ip route add ::/0 via 2001:db8:2::1
sed -i 's/^        listen 80 default_server;$/&\n        listen [::]:80 default_server;/' /etc/netns/repo/nginx/nginx.conf
systemctl restart repo-nginx
