#!/usr/bin/env bash
# Wrong: sends every web request from the office to the shop, whatever its destination, and lets it through (gw's rules.v4, loaded); the tills open the shop, and every outside site the office browses is the shop too.
set -euo pipefail
sed -i 's#^-A PREROUTING -i eth0 -d 203.0.113.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.20:80$#&\n-A PREROUTING -i eth1 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.20:80#' /etc/netns/gw/iptables/rules.v4
sed -i 's#--dport 8081 -j ACCEPT$#--dport 8081 -j ACCEPT\n-A FORWARD -i eth1 -o eth2 -s 10.0.1.0/24 -d 10.0.2.20/32 -p tcp -m tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
