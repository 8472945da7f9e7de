#!/usr/bin/env bash
# Wrong: gives up on IPv6 and puts the CI segment on IPv4 (rtr's eth2 and ci1 addressed, ci1's hosts entry and rtr's rule moved to IPv4; files and live); ci1 fetches by name, and IPv6-only runners (the segment's design) still get nothing.
set -euo pipefail
sed -i 's#^iface eth2 inet manual$#iface eth2 inet static\n    address 10.0.5.1/24#' /etc/netns/rtr/network/interfaces
on rtr ip address add 10.0.5.1/24 dev eth2
sed -i 's#^iface eth0 inet manual$#iface eth0 inet static\n    address 10.0.5.10/24\n    gateway 10.0.5.1#' /etc/netns/ci1/network/interfaces
on ci1 ip address add 10.0.5.10/24 dev eth0
on ci1 ip route add default via 10.0.5.1
sed -i 's/^2001:db8:2::20 repo.corp.example repo$/10.0.2.20 repo.corp.example repo/' /etc/netns/ci1/hosts
sed -i 's#^        iifname "eth1" accept comment "DMZ: out"$#        iifname "eth2" oifname "eth1" ip saddr 10.0.5.0/24 ip daddr 10.0.2.20 tcp dport 80 accept comment "CI runners, IPv4"\n&#' /etc/netns/rtr/nftables.conf
on rtr nft -f /etc/nftables.conf
