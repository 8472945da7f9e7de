#!/usr/bin/env bash
# Wrong: turns IPv6 forwarding on, adds repo's IPv6 route and nginx's IPv6 listener (in their files, loaded), but sets repo's input policy to accept instead of allowing neighbour discovery; the runners fetch, and the metrics are open to every host.
set -euo pipefail
sed -i 's/^#net.ipv6.conf.all.forwarding=1$/net.ipv6.conf.all.forwarding=1/' /etc/netns/rtr/sysctl.conf
on rtr sysctl -w net.ipv6.conf.all.forwarding=1
sed -i '/chain input/,/}/ s/policy drop;/policy accept;/' /etc/netns/repo/nftables.conf
on repo nft -f /etc/nftables.conf
sed -i 's#^    up ip address add 2001:db8:2::20/64 dev \$IFACE nodad$#&\n    up ip route add ::/0 via 2001:db8:2::1#' /etc/netns/repo/network/interfaces
on repo ip route add ::/0 via 2001:db8:2::1
sed -i 's/^        listen 80 default_server;$/&\n        listen [::]:80 default_server;/' /etc/netns/repo/nginx/nginx.conf
systemctl restart repo-nginx
