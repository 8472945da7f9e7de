#!/usr/bin/env bash
set -euo pipefail
ip netns exec web nft -f /etc/nftables.conf
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
