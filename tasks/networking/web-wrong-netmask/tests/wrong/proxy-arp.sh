#!/usr/bin/env bash
# Wrong: turns on proxy ARP on the router's DMZ interface (in its sysctl.d, so it stays), so the router answers web's ARP for the offices; web still believes all of 10.0.0.0/16 is on its own segment.
set -euo pipefail
echo 'net.ipv4.conf.eth1.proxy_arp = 1' > /etc/netns/router/sysctl.d/60-proxy-arp.conf
on router sysctl -w net.ipv4.conf.eth1.proxy_arp=1
