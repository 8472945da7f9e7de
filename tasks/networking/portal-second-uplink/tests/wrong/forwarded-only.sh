#!/usr/bin/env bash
# Wrong: fixes the FORWARD rule and routes the marked connections back over line B (rules.v4 and interfaces, loaded), but not what edge itself sends from 192.0.2.2; the portal works over both lines, and edge's line B address still answers no ping (the provider's monitoring keeps reporting it down).
set -euo pipefail
sed -i 's#^-A FORWARD -i eth1 -o eth3 -d 192.0.2.2/32 #-A FORWARD -i eth1 -o eth3 -d 10.0.2.20/32 #' /etc/netns/edge/iptables/rules.v4
sed -i 's#^\*nat$#*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -i eth1 -m conntrack --ctstate NEW -j CONNMARK --set-mark 0x2\n-A PREROUTING ! -i eth1 -j CONNMARK --restore-mark\nCOMMIT\n*nat#' /etc/netns/edge/iptables/rules.v4
sed -i 's#^    address 192.0.2.2/29$#&\n    up ip route add default via 192.0.2.1 dev eth1 table 102\n    up ip rule add fwmark 0x2 table 102#' /etc/netns/edge/network/interfaces
on edge iptables-restore /etc/iptables/rules.v4
on edge ip route add default via 192.0.2.1 dev eth1 table 102
on edge ip rule add fwmark 0x2 table 102
