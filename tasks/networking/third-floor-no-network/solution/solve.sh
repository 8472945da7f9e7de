#!/usr/bin/env bash
# Three faults on the way from floor 3 to the central DHCP server: core relays floor 2 only; the floor-3
# range's router option names the retired floor router (10.0.3.254, core is 10.0.3.1); the printer's
# reservation has a mistyped MAC address.
set -euo pipefail
# bound HOST ADDRESS-PATTERN: waits (up to 20 s) until HOST's DHCP client has applied a lease.
bound() { for _ in $(seq 1 40); do ip -n "$1" -4 -o address show dev eth0 | grep -q "inet $2/" && return 0; sleep 0.5; done; return 1; }
on laptop3 ip -br address
journalctl -u laptop3-dhclient --no-pager -n 4
on core cat /etc/dnsmasq.conf
journalctl -u core-dnsmasq --no-pager -n 5
# core: relay floor 3 too.
sed -i 's#^dhcp-relay=10.0.2.1,10.0.9.53$#&\ndhcp-relay=10.0.3.1,10.0.9.53#' /etc/netns/core/dnsmasq.conf
systemctl restart core-dnsmasq
systemctl restart laptop3-dhclient printer3-dhclient
bound laptop3 '10\.0\.3\.1[0-9][0-9]'
on laptop3 ip route
on laptop3 ping -c 1 -W 2 intranet.corp.example || true
on dhcp cat /etc/dnsmasq.conf
journalctl -u dhcp-dnsmasq --no-pager | grep -e DHCPOFFER -e "provides name" | tail -n 6
on printer3 ip -br link show eth0
# dhcp: floor 3's gateway is core (10.0.3.1), and the printer's reservation gets its real MAC address.
sed -i -e 's#^dhcp-option=tag:floor3,option:router,10.0.3.254$#dhcp-option=tag:floor3,option:router,10.0.3.1#' \
  -e 's#^dhcp-host=02:4f:80:2e:13:00,printer3,10.0.3.20$#dhcp-host=02:4f:80:2e:31:00,printer3,10.0.3.20#' /etc/netns/dhcp/dnsmasq.conf
on dhcp dnsmasq --test --conf-file=/etc/dnsmasq.conf
systemctl restart dhcp-dnsmasq
systemctl restart laptop3-dhclient printer3-dhclient
bound printer3 '10\.0\.3\.20'
bound laptop3 '10\.0\.3\.1[0-9][0-9]'
on laptop3 ping -c 1 -W 2 intranet.corp.example
on srv nc -z -w 2 10.0.3.20 9100
grep 10.0.3.20 /var/lib/misc/dnsmasq-dhcp.leases
