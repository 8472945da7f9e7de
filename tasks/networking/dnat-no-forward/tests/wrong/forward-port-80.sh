#!/usr/bin/env bash
# Wrong: forwards TCP port 80 from the Internet to the whole LAN (in rules.v4, loaded); the shop opens, and so does every other web server of the LAN.
set -euo pipefail
sed -i 's#^-A FORWARD -i eth1 -o eth0 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth1 -p tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
