#!/usr/bin/env bash
# Wrong: DNATs the public address from every side, and sets gw's FORWARD policy to ACCEPT instead of letting the office through to the shop (rules.v4, loaded); the tills open the shop, and the Internet reaches the whole DMZ, the back office too.
set -euo pipefail
sed -i -e 's#^-A PREROUTING -i eth0 -d 203.0.113.1/32 #-A PREROUTING -d 203.0.113.1/32 #' -e 's#^:FORWARD DROP#:FORWARD ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
