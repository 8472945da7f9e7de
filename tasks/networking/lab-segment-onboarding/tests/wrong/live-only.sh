#!/usr/bin/env bash
# Wrong: makes every change with live commands only (forwarding, address, route, firewall rules); the lab works now, and after fw, labgw and web reboot it is cut off again.
set -euo pipefail
on labgw sysctl -w net.ipv4.ip_forward=1
on fw ip address add 10.0.9.1/30 dev eth2
on fw ip route add 10.0.3.0/24 via 10.0.9.2
on fw iptables -A FORWARD -i eth2 -o eth1 -s 10.0.3.0/24 -d 10.0.2.10 -p tcp --dport 80 -j ACCEPT
on fw iptables -A FORWARD -i eth0 -o eth2 -s 10.0.1.0/24 -d 10.0.3.0/24 -j ACCEPT
on web nft add rule inet filter input ip saddr 10.0.3.0/24 tcp dport 80 accept
