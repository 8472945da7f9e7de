#!/usr/bin/env bash
# The replicas quota is used up, partly by a finished load test against staging: remove it, then scale search.
set -euo pipefail
cloud deployments scale search --replicas 8 || true
cloud quotas list
cloud deployments list
cloud deployments describe lt-0305 --query env -o json
cloud deployments delete lt-0305
cloud deployments scale search --replicas 8
for _ in $(seq 1 40); do
  cloud deployments status search && exit 0
  sleep 2
done
exit 1
