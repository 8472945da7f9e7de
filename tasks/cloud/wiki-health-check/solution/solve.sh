#!/usr/bin/env bash
# 3.2 moved its health endpoint from /health to /-/healthy; the target group still checks the old one.
set -euo pipefail
cloud target-groups health wiki
cloud images list -o json | jq -c '.items[] | {name, listens}'
cloud target-groups set-health-check wiki --health-path /-/healthy
for _ in $(seq 1 20); do
  cloud target-groups health wiki -o json | jq -e 'all(.items[]; .state == "healthy")' >/dev/null && break
  sleep 2
done
cloud target-groups health wiki
