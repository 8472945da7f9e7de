#!/usr/bin/env bash
# Wrong: routes the lab and fixes fw's rules, but sets web's input policy to accept instead of adding the lab (all in the boot files, loaded); the lab opens the intranet, and web's metrics port is open to every network.
set -euo pipefail
sed -i 's/^#net.ipv4.ip_forward=1$/net.ipv4.ip_forward=1/' /etc/netns/labgw/sysctl.conf
on labgw sysctl -w net.ipv4.ip_forward=1
sed -i 's#^iface eth2 inet manual$#iface eth2 inet static\n    address 10.0.9.1/30\n    up ip route add 10.0.3.0/24 via 10.0.9.2#' /etc/netns/fw/network/interfaces
on fw ip address add 10.0.9.1/30 dev eth2
on fw ip route add 10.0.3.0/24 via 10.0.9.2
sed -i -e 's#-s 10.0.30.0/24 -d 10.0.2.10#-s 10.0.3.0/24 -d 10.0.2.10#' \
  -e 's#^-A FORWARD -i eth0 -o eth1 -s 10.0.1.0/24 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth2 -s 10.0.1.0/24 -d 10.0.3.0/24 -j ACCEPT#' /etc/netns/fw/iptables/rules.v4
on fw iptables-restore /etc/iptables/rules.v4
sed -i '/chain input/,/}/ s/policy drop;/policy accept;/' /etc/netns/web/nftables.conf
on web nft -f /etc/nftables.conf
