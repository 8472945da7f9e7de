#!/usr/bin/env bash
# Wrong: pins nas's new card on gw (interfaces file, live) and takes the conflicting address off the printer, leaving it without one; nas works again, and the office cannot print.
set -euo pipefail
sed -i 's#lladdr 00:1b:21:3a:4f:02 dev eth1#lladdr 02:4f:09:9c:fa:f3 dev eth1#' /etc/netns/gw/network/interfaces
on gw ip neighbour replace 10.0.2.30 lladdr 02:4f:09:9c:fa:f3 dev eth1 nud permanent
sed -i -e '/^    address 10.0.2.30\/24$/d' -e '/^    gateway 10.0.2.254$/d' -e 's/^iface eth0 inet static$/iface eth0 inet manual/' /etc/netns/prn/network/interfaces
reboot-host prn
on backup ip neighbour flush to 10.0.2.30
