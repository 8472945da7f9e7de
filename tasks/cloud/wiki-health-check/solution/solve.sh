#!/usr/bin/env bash
# 3.2 moved its health endpoint from /health to /-/healthy; the target group still checks the old one.
set -euo pipefail
cloud target-groups health wiki
cloud images list --query "items[].{name: name, listens: listens}" -o json
cloud target-groups set-health-check wiki --health-path /-/healthy
for _ in $(seq 1 20); do
  [ "$(cloud target-groups health wiki --query "length(items[?state!='healthy'])" -o text)" = 0 ] && break
  sleep 2
done
cloud target-groups health wiki
