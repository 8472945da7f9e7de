#!/usr/bin/env bash
# Each hop of the new path, in the files each host boots from and live: labgw forwards, fw gets its
# transit address and the route to the lab, fw's lab rule names the lab's real prefix and the office
# may reach the lab, web lets the lab open the intranet.
set -euo pipefail
on fw ip -br address
on labgw sysctl net.ipv4.ip_forward
# labgw came from the server image: no forwarding.
sed -i 's/^#net.ipv4.ip_forward=1$/net.ipv4.ip_forward=1/' /etc/netns/labgw/sysctl.conf
on labgw sysctl -w net.ipv4.ip_forward=1
# fw: the transit port gets its address and the route to the lab.
sed -i 's#^iface eth2 inet manual$#iface eth2 inet static\n    address 10.0.9.1/30\n    up ip route add 10.0.3.0/24 via 10.0.9.2#' /etc/netns/fw/network/interfaces
on fw ip address add 10.0.9.1/30 dev eth2
on fw ip route add 10.0.3.0/24 via 10.0.9.2
on lab1 ping -c 1 -W 2 10.0.9.1
# fw: the lab rule had a typo (10.0.30.0/24); the office may reach the lab.
on fw iptables -S FORWARD
sed -i -e 's#-s 10.0.30.0/24 -d 10.0.2.10#-s 10.0.3.0/24 -d 10.0.2.10#' \
  -e 's#^-A FORWARD -i eth0 -o eth1 -s 10.0.1.0/24 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth2 -s 10.0.1.0/24 -d 10.0.3.0/24 -j ACCEPT#' /etc/netns/fw/iptables/rules.v4
on fw iptables-restore /etc/iptables/rules.v4
on lab1 curl -s --max-time 3 http://10.0.2.10/ || true
# web: the intranet for the lab too.
on web nft list ruleset
sed -i 's#^        ip saddr 10.0.1.0/24 tcp dport 80 accept comment "intranet: office LAN"$#&\n        ip saddr 10.0.3.0/24 tcp dport 80 accept comment "intranet: test lab"#' /etc/netns/web/nftables.conf
on web nft -f /etc/nftables.conf
on lab1 curl -s --max-time 5 http://10.0.2.10/
on pc nc -z -w 3 10.0.3.10 22
on lab1 nc -z -w 3 10.0.2.30 5432 || true
