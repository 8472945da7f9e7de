#!/usr/bin/env bash
# Wrong: sets the FORWARD policy to ACCEPT (in rules.v4, loaded); the shop opens, and the whole LAN with it.
set -euo pipefail
sed -i 's#^:FORWARD DROP#:FORWARD ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
