#!/usr/bin/env bash
# Wrong: masquerades the lab behind labgw's transit address, so fw needs no route to the lab, and lets that one address through to the intranet (labgw's sysctl.conf and rules.v4, fw's interfaces and rules.v4, web's nftables.conf, loaded); lab1 opens the intranet, the audit log shows 10.0.9.2 for every lab PC, and the office still cannot reach the lab.
set -euo pipefail
sed -i 's/^#net.ipv4.ip_forward=1$/net.ipv4.ip_forward=1/' /etc/netns/labgw/sysctl.conf
on labgw sysctl -w net.ipv4.ip_forward=1
cat > /etc/netns/labgw/iptables/rules.v4 <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.0.3.0/24 -o eth0 -j MASQUERADE
COMMIT
RULES
on labgw iptables-restore /etc/iptables/rules.v4
sed -i 's#^iface eth2 inet manual$#iface eth2 inet static\n    address 10.0.9.1/30#' /etc/netns/fw/network/interfaces
on fw ip address add 10.0.9.1/30 dev eth2
sed -i 's#-s 10.0.30.0/24 -d 10.0.2.10#-s 10.0.9.2 -d 10.0.2.10#' /etc/netns/fw/iptables/rules.v4
on fw iptables-restore /etc/iptables/rules.v4
sed -i 's#^        ip saddr 10.0.1.0/24 tcp dport 80 accept comment "intranet: office LAN"$#&\n        ip saddr 10.0.9.2 tcp dport 80 accept comment "intranet: test lab"#' /etc/netns/web/nftables.conf
on web nft -f /etc/nftables.conf
