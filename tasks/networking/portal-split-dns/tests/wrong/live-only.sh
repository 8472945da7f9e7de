#!/usr/bin/env bash
# Wrong: adds the internal record, but opens gw's firewall with a live command only; the office opens the portal until gw reboots.
set -euo pipefail
echo '10.0.2.40   portal.corp.example' >> /srv/dns/internal.hosts
systemctl kill -s HUP ns-dnsmasq
on gw iptables -I FORWARD 2 -i eth1 -o eth2 -d 10.0.2.40/32 -p tcp --dport 80 -j ACCEPT
