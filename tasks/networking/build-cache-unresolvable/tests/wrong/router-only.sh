#!/usr/bin/env bash
# Wrong: lets DNS over TCP through the router only (rules.v4, loaded); the queries reach the DNS server, whose own firewall still drops them.
set -euo pipefail
sed -i 's#^-A FORWARD -i eth0 -o eth1 -d 10.0.2.53/32 -p udp -m udp --dport 53 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth1 -d 10.0.2.53/32 -p tcp -m tcp --dport 53 -j ACCEPT#' /etc/netns/rtr/iptables/rules.v4
on rtr iptables-restore /etc/iptables/rules.v4
