#!/usr/bin/env bash
# Wrong: pins nas's new card on gw and on backup (interfaces files, live) but leaves the printer on nas's address; the office and backup reach nas, the printer still answers for 10.0.2.30 on the segment, and the office cannot print.
set -euo pipefail
sed -i 's#lladdr 00:1b:21:3a:4f:02 dev eth1#lladdr 02:4f:09:9c:fa:f3 dev eth1#' /etc/netns/gw/network/interfaces
on gw ip neighbour replace 10.0.2.30 lladdr 02:4f:09:9c:fa:f3 dev eth1 nud permanent
sed -i 's#^    address 10.0.2.50/24$#&\n    up ip neighbour replace 10.0.2.30 lladdr 02:4f:09:9c:fa:f3 dev eth0 nud permanent#' /etc/netns/backup/network/interfaces
on backup ip neighbour replace 10.0.2.30 lladdr 02:4f:09:9c:fa:f3 dev eth0 nud permanent
