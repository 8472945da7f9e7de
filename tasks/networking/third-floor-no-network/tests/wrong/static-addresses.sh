#!/usr/bin/env bash
# Wrong: gives laptop3 and the printer static addresses, gateway and DNS (their boot files, and live) and stops their DHCP clients; both work, and every other machine on floor 3 still gets no lease.
set -euo pipefail
systemctl stop laptop3-dhclient printer3-dhclient
sed -i 's#^iface eth0 inet manual$#iface eth0 inet static\n    address 10.0.3.50/24\n    gateway 10.0.3.1#' /etc/netns/laptop3/network/interfaces
sed -i 's#^iface eth0 inet manual$#iface eth0 inet static\n    address 10.0.3.20/24\n    gateway 10.0.3.1#' /etc/netns/printer3/network/interfaces
on laptop3 'ip address add 10.0.3.50/24 dev eth0 && ip route add default via 10.0.3.1 && echo "nameserver 10.0.9.53" > /etc/resolv.conf'
on printer3 'ip address add 10.0.3.20/24 dev eth0 && ip route add default via 10.0.3.1'
