#!/usr/bin/env bash
set -euo pipefail
# The server was addressed with the wrong prefix length.
ip -n web addr flush dev eth0
ip -n web addr add 10.0.2.10/16 dev eth0
ip -n web route add default via 10.0.2.1
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
