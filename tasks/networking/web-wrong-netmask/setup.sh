#!/usr/bin/env bash
# The fault is in task.toml: web's /etc/network/interfaces gives it 10.0.2.10/16, the wrong prefix length.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec web curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
