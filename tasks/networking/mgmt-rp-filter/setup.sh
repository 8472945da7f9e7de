#!/usr/bin/env bash
set -euo pipefail
# The hardened template: strict reverse-path filtering everywhere.
ip netns exec app sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.default.rp_filter=1 \
  net.ipv4.conf.eth0.rp_filter=1 net.ipv4.conf.eth1.rp_filter=1
for _ in $(seq 1 20); do ip netns exec app curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
