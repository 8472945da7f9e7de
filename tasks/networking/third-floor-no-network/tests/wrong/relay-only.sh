#!/usr/bin/env bash
# Wrong: adds floor 3's relay on core and stops there, since the laptop now gets an address; its gateway is the retired 10.0.3.254, so it reaches nothing, and the printer gets an address of the range.
set -euo pipefail
sed -i 's#^dhcp-relay=10.0.2.1,10.0.9.53$#&\ndhcp-relay=10.0.3.1,10.0.9.53#' /etc/netns/core/dnsmasq.conf
systemctl restart core-dnsmasq
systemctl restart laptop3-dhclient printer3-dhclient
