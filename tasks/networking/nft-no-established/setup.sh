#!/usr/bin/env bash
# web's hardened firewall comes from files/ (its nftables.conf, which it loads at boot).
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
