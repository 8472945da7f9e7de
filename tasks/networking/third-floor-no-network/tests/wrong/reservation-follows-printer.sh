#!/usr/bin/env bash
# Wrong: relays floor 3 and fixes its gateway, then moves the printer's reservation to the address it was given (10.0.3.150, with its real MAC address) instead of keeping 10.0.3.20; the printer is reachable, at an address the print server's queue does not use.
set -euo pipefail
sed -i 's#^dhcp-relay=10.0.2.1,10.0.9.53$#&\ndhcp-relay=10.0.3.1,10.0.9.53#' /etc/netns/core/dnsmasq.conf
sed -i -e 's#^dhcp-option=tag:floor3,option:router,10.0.3.254$#dhcp-option=tag:floor3,option:router,10.0.3.1#' \
  -e 's#^dhcp-host=02:4f:80:2e:13:00,printer3,10.0.3.20$#dhcp-host=02:4f:80:2e:31:00,printer3,10.0.3.150#' /etc/netns/dhcp/dnsmasq.conf
systemctl restart core-dnsmasq dhcp-dnsmasq
systemctl restart laptop3-dhclient printer3-dhclient
