#!/usr/bin/env bash
# CHG-5480 as it was left (files/): gw's uplink is now the VLAN interface eth1.7, but its firewall and
# NAT still name eth1: the office's traffic out is neither forwarded nor masqueraded, and the
# website's port forward and its forward rule never match.
set -euo pipefail
for _ in $(seq 1 20); do
  ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && ip netns exec ext curl -s -o /dev/null http://127.0.0.1/ && break
  sleep 0.5
done
