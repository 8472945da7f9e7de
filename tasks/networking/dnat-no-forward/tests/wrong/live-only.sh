#!/usr/bin/env bash
# Wrong: adds the FORWARD rule with a live iptables command only; customers get the shop now, and not after gw's next reboot (its rules.v4 is unchanged).
set -euo pipefail
on gw iptables -A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.2.20 --dport 80 -j ACCEPT
