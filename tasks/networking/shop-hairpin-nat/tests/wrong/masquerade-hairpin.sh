#!/usr/bin/env bash
# Wrong: the textbook hairpin: DNAT from the office too, let it through, and masquerade the office towards the shop (gw's rules.v4, loaded); the tills open the shop, and its audit log shows gw (10.0.2.1) for every till.
set -euo pipefail
sed -i 's#^-A PREROUTING -i eth0 -d 203.0.113.1/32 #-A PREROUTING -d 203.0.113.1/32 #' /etc/netns/gw/iptables/rules.v4
sed -i 's#^-A POSTROUTING -s 10.0.2.0/24 -o eth0 -j MASQUERADE$#&\n-A POSTROUTING -s 10.0.1.0/24 -d 10.0.2.20/32 -p tcp --dport 80 -j MASQUERADE#' /etc/netns/gw/iptables/rules.v4
sed -i 's#^-A FORWARD -i eth0 -o eth2 -d 10.0.2.20/32 -p tcp -m tcp --dport 80 -j ACCEPT$#&\n-A FORWARD -i eth1 -o eth2 -d 10.0.2.20/32 -p tcp -m tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
