#!/usr/bin/env bash
# Wrong: fixes all four faults in the files (loaded), but also lets everything from the CI segment through the router ("meta nfproto ipv6 accept" for eth2) while debugging; the runners fetch, and reach the database and every other DMZ port.
set -euo pipefail
sed -i 's/^#net.ipv6.conf.all.forwarding=1$/net.ipv6.conf.all.forwarding=1/' /etc/netns/rtr/sysctl.conf
on rtr sysctl -w net.ipv6.conf.all.forwarding=1
sed -i 's#^        iifname "eth1" accept comment "DMZ: out"$#        iifname "eth2" meta nfproto ipv6 accept\n&#' /etc/netns/rtr/nftables.conf
on rtr nft -f /etc/nftables.conf
sed -i 's/^        icmp type echo-request accept$/&\n        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, echo-request } accept/' /etc/netns/repo/nftables.conf
on repo nft -f /etc/nftables.conf
sed -i 's#^    up ip address add 2001:db8:2::20/64 dev \$IFACE nodad$#&\n    up ip route add ::/0 via 2001:db8:2::1#' /etc/netns/repo/network/interfaces
on repo ip route add ::/0 via 2001:db8:2::1
sed -i 's/^        listen 80 default_server;$/&\n        listen [::]:80 default_server;/' /etc/netns/repo/nginx/nginx.conf
systemctl restart repo-nginx
