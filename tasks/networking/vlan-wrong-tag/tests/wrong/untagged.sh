#!/usr/bin/env bash
# Wrong: drops the VLAN and puts db's address on the bare trunk port, and gives the router the servers' gateway address untagged too (both in their files, both rebooted); db is reached, outside its VLAN.
set -euo pipefail
cat > /etc/netns/db/network/interfaces <<'IF'
auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
    address 10.0.30.20/24
    gateway 10.0.30.1
IF
sed -i 's#^iface eth0 inet manual$#iface eth0 inet static\n    address 10.0.30.1/24#' /etc/netns/router/network/interfaces
reboot-host db router
