#!/usr/bin/env bash
# Wrong: routes the lab (labgw forwards, fw's transit address and route) and opens the intranet on web, but sets fw's FORWARD policy to ACCEPT instead of fixing its rules (all in the boot files, loaded); the lab works, and reaches the office LAN and the database too.
set -euo pipefail
sed -i 's/^#net.ipv4.ip_forward=1$/net.ipv4.ip_forward=1/' /etc/netns/labgw/sysctl.conf
on labgw sysctl -w net.ipv4.ip_forward=1
sed -i 's#^iface eth2 inet manual$#iface eth2 inet static\n    address 10.0.9.1/30\n    up ip route add 10.0.3.0/24 via 10.0.9.2#' /etc/netns/fw/network/interfaces
on fw ip address add 10.0.9.1/30 dev eth2
on fw ip route add 10.0.3.0/24 via 10.0.9.2
sed -i 's#^:FORWARD DROP#:FORWARD ACCEPT#' /etc/netns/fw/iptables/rules.v4
on fw iptables-restore /etc/iptables/rules.v4
sed -i 's#^        ip saddr 10.0.1.0/24 tcp dport 80 accept comment "intranet: office LAN"$#&\n        ip saddr 10.0.3.0/24 tcp dport 80 accept comment "intranet: test lab"#' /etc/netns/web/nftables.conf
on web nft -f /etc/nftables.conf
