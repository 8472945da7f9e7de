#!/usr/bin/env bash
# The DNAT rewrites the customers' packets, but FORWARD drops them: allow new connections to the shop,
# in the rules gw loads at boot, and load them now.
set -euo pipefail
sed -i 's#^-A FORWARD -i eth1 -o eth0 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.2.20 --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
on customer curl -s --max-time 5 http://203.0.113.1:8080/ >/dev/null
