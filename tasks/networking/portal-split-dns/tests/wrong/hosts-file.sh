#!/usr/bin/env bash
# Wrong: pins the portal's internal address in pc's /etc/hosts and opens gw's firewall for it (rules.v4, loaded); pc opens the portal, and every other office PC still gets the public address from the resolver.
set -euo pipefail
on pc 'echo "10.0.2.40 portal.corp.example portal" >> /etc/hosts'
sed -i 's#^-A FORWARD -i eth1 -o eth2 -d 10.0.2.10/32 -p tcp -m tcp --dport 80 -j ACCEPT$#&\n-A FORWARD -i eth1 -o eth2 -d 10.0.2.40/32 -p tcp -m tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
