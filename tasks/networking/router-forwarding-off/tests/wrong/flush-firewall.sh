#!/usr/bin/env bash
# Wrong: turns forwarding on for good but also flushes the router's firewall (now and in its rules.v4), which opens the DMZ to the guest Wi-Fi.
set -euo pipefail
sed -i 's/^#\?net.ipv4.ip_forward=.*/net.ipv4.ip_forward=1/' /etc/netns/router/sysctl.conf
printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n' > /etc/netns/router/iptables/rules.v4
on router 'sysctl -w net.ipv4.ip_forward=1 && iptables -F'
