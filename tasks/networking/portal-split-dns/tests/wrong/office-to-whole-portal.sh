#!/usr/bin/env bash
# Wrong: adds the internal record, and lets the office through to every port of the portal server (rules.v4, loaded); the portal opens, and its metrics and other ports are open to the office.
set -euo pipefail
echo '10.0.2.40   portal.corp.example' >> /srv/dns/internal.hosts
systemctl kill -s HUP ns-dnsmasq
sed -i 's#^-A FORWARD -i eth1 -o eth2 -d 10.0.2.10/32 -p tcp -m tcp --dport 80 -j ACCEPT$#&\n-A FORWARD -i eth1 -o eth2 -d 10.0.2.40/32 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
