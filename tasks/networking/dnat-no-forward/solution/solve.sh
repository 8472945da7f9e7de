#!/usr/bin/env bash
# The DNAT rewrites the customers' packets, but FORWARD drops them: allow new connections to the shop.
set -euo pipefail
on gw iptables -A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.2.20 --dport 80 -j ACCEPT
on customer curl -s --max-time 5 http://203.0.113.1:8080/ >/dev/null
