#!/usr/bin/env bash
# Wrong: makes core a DHCP server for floor 3 (its own range, gateway, DNS and the printer's reservation) instead of relaying to the central server; the floor works, and its leases are on core, where the help desk does not look, against CHG-4812.
set -euo pipefail
cat >> /etc/netns/core/dnsmasq.conf <<'CONF'
dhcp-range=10.0.3.100,10.0.3.199,255.255.255.0,8h
dhcp-option=option:router,10.0.3.1
dhcp-option=option:dns-server,10.0.9.53
dhcp-option=option:domain-name,corp.example
dhcp-host=02:4f:80:2e:31:00,printer3,10.0.3.20
dhcp-leasefile=/var/lib/misc/dnsmasq-core.leases
CONF
systemctl restart core-dnsmasq
systemctl restart laptop3-dhclient printer3-dhclient
