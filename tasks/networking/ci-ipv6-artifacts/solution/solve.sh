#!/usr/bin/env bash
# Four faults on the path, each hidden behind the one before: rtr does not forward IPv6; repo's
# firewall drops neighbour discovery (its baseline was written for IPv4: rtr cannot find repo's
# address); repo has no IPv6 route back to the runners; repo's nginx listens on IPv4 only. Each fixed
# in the files the hosts boot from, and live.
set -euo pipefail
on ci1 curl -sS --max-time 3 http://repo.corp.example/releases/ || true
on ci1 ping -c 1 -W 2 2001:db8:5::1
on rtr sysctl net.ipv6.conf.all.forwarding
# rtr: IPv6 forwarding, at boot too.
sed -i 's/^#net.ipv6.conf.all.forwarding=1$/net.ipv6.conf.all.forwarding=1/' /etc/netns/rtr/sysctl.conf
on rtr sysctl -w net.ipv6.conf.all.forwarding=1
on ci1 ping -c 1 -W 2 2001:db8:2::20 || true
on rtr ip -6 neigh show dev eth1
on repo nft list ruleset
# repo: neighbour discovery (and ping) for IPv6, as the baseline allows them for IPv4.
sed -i 's/^        icmp type echo-request accept$/&\n        icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, echo-request } accept/' /etc/netns/repo/nftables.conf
on repo nft -f /etc/nftables.conf
on ci1 ping -c 1 -W 2 2001:db8:2::20 || true
on repo ip -6 route
# repo: the IPv6 default route through rtr.
sed -i 's#^    up ip address add 2001:db8:2::20/64 dev \$IFACE nodad$#&\n    up ip route add ::/0 via 2001:db8:2::1#' /etc/netns/repo/network/interfaces
on repo ip route add ::/0 via 2001:db8:2::1
on ci1 curl -sS --max-time 3 http://repo.corp.example/releases/ || true
on repo ss -ltn
# repo: nginx on IPv6 too (the repository only; the metrics stay where they are).
sed -i 's/^        listen 80 default_server;$/&\n        listen [::]:80 default_server;/' /etc/netns/repo/nginx/nginx.conf
systemctl restart repo-nginx
on ci1 curl -sS --retry 5 --retry-connrefused --retry-delay 1 --max-time 10 http://repo.corp.example/releases/toolchain-2.14.1.txt
on mon curl -sS --max-time 5 http://10.0.2.20:9100/
