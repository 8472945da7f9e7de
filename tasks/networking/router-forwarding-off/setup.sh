#!/usr/bin/env bash
set -euo pipefail
# The guest Wi-Fi may reach the office and the outside, never the DMZ.
ip netns exec router iptables -A FORWARD -i eth2 -o eth1 -j DROP
# The maintenance left packet forwarding off.
ip netns exec router sysctl -qw net.ipv4.ip_forward=0
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
