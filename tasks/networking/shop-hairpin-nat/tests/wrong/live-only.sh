#!/usr/bin/env bash
# Wrong: adds the office's DNAT and the FORWARD rule with live iptables commands only; the tills open the shop now, and not after gw's next reboot (its rules.v4 is unchanged).
set -euo pipefail
on gw iptables -t nat -A PREROUTING -i eth1 -d 203.0.113.1 -p tcp --dport 80 -j DNAT --to-destination 10.0.2.20:80
on gw iptables -I FORWARD 2 -i eth1 -o eth2 -d 10.0.2.20 -p tcp --dport 80 -j ACCEPT
