#!/usr/bin/env bash
# Wrong: changes the portal's record in the public zone to its internal address (and opens gw's firewall, rules.v4, loaded); the office gets 10.0.2.40, and so does the Internet, which can no longer reach the portal.
set -euo pipefail
sed -i 's/^203.0.113.1    portal.corp.example$/10.0.2.40      portal.corp.example/' /srv/dns/public.hosts
systemctl kill -s HUP pubdns-dnsmasq
systemctl restart ns-dnsmasq
sed -i 's#^-A FORWARD -i eth1 -o eth2 -d 10.0.2.10/32 -p tcp -m tcp --dport 80 -j ACCEPT$#&\n-A FORWARD -i eth1 -o eth2 -d 10.0.2.40/32 -p tcp -m tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
