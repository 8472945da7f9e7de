#!/usr/bin/env bash
# Wrong: lets DNS over TCP through the router and the DNS server's firewall with live commands only; the pool resolves until rtr and ns reboot.
set -euo pipefail
on rtr iptables -I FORWARD 3 -i eth0 -o eth1 -d 10.0.2.53/32 -p tcp --dport 53 -j ACCEPT
on ns nft add rule inet filter input tcp dport 53 accept
