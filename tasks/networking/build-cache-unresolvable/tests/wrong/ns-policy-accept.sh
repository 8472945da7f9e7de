#!/usr/bin/env bash
# Wrong: lets DNS over TCP through the router (rules.v4, loaded), but sets the DNS server's input policy to accept (nftables.conf, loaded); the pool resolves, and every port of ns is open to the office.
set -euo pipefail
sed -i 's#^-A FORWARD -i eth0 -o eth1 -d 10.0.2.53/32 -p udp -m udp --dport 53 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth1 -d 10.0.2.53/32 -p tcp -m tcp --dport 53 -j ACCEPT#' /etc/netns/rtr/iptables/rules.v4
on rtr iptables-restore /etc/iptables/rules.v4
sed -i '/chain input/,/}/ s/policy drop;/policy accept;/' /etc/netns/ns/nftables.conf
on ns nft -f /etc/nftables.conf
