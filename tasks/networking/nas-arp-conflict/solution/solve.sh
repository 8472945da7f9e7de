#!/usr/bin/env bash
# gw pins 10.0.2.30 to nas's old card (nothing answers to that MAC any more); prn took nas's address,
# with a gateway that does not exist. Give prn its planned address and the real gateway, pin nas's new
# card on gw, in the files they boot from and live; forget backup's stale answer.
set -euo pipefail
on office nc -z -w 3 10.0.2.30 445 || true
on gw ip neighbour show dev eth1
on nas ip -br link show eth0
on backup ip neighbour show 10.0.2.30
on prn ip -br address
# prn: the IP plan's 10.0.2.40 and the real gateway.
sed -i -e 's#^    address 10.0.2.30/24$#    address 10.0.2.40/24#' -e 's#^    gateway 10.0.2.254$#    gateway 10.0.2.1#' /etc/netns/prn/network/interfaces
reboot-host prn
# gw: nas's pinned MAC is its new card's.
sed -i 's#lladdr 00:1b:21:3a:4f:02 dev eth1#lladdr 02:4f:09:9c:fa:f3 dev eth1#' /etc/netns/gw/network/interfaces
on gw ip neighbour replace 10.0.2.30 lladdr 02:4f:09:9c:fa:f3 dev eth1 nud permanent
on backup ip neighbour flush to 10.0.2.30
on office nc -z -w 3 10.0.2.30 445
on backup nc -z -w 3 10.0.2.30 445
on office nc -z -w 3 10.0.2.40 9100
