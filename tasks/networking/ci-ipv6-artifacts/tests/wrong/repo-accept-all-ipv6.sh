#!/usr/bin/env bash
# Wrong: fixes forwarding, the route and nginx (in their files, loaded), but lets all IPv6 into repo ("meta nfproto ipv6 accept") instead of neighbour discovery; the runners fetch, and every port of repo is open over IPv6.
set -euo pipefail
sed -i 's/^#net.ipv6.conf.all.forwarding=1$/net.ipv6.conf.all.forwarding=1/' /etc/netns/rtr/sysctl.conf
on rtr sysctl -w net.ipv6.conf.all.forwarding=1
sed -i 's/^        iif "lo" accept$/&\n        meta nfproto ipv6 accept/' /etc/netns/repo/nftables.conf
on repo nft -f /etc/nftables.conf
sed -i 's#^    up ip address add 2001:db8:2::20/64 dev \$IFACE nodad$#&\n    up ip route add ::/0 via 2001:db8:2::1#' /etc/netns/repo/network/interfaces
on repo ip route add ::/0 via 2001:db8:2::1
sed -i 's/^        listen 80 default_server;$/&\n        listen [::]:80 default_server;/' /etc/netns/repo/nginx/nginx.conf
systemctl restart repo-nginx
