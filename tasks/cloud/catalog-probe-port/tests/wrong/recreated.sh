#!/usr/bin/env bash
# Wrong: delete catalog and create it again with 4.2.0 on port 8081; it ends up right, but every replica went down at once (an outage) and the rollout history is gone.
set -euo pipefail
# Its replicas, its health path, then one line a variable: NAME<tab>VALUE.
catalog=$(cloud deployments describe catalog --query "[replicas, healthPath, items(env)]" -o text)
env=()
{
  read -r replicas
  read -r health
  while IFS=$'\t' read -r key value; do env+=("--env=$key=$value"); done
} <<<"$catalog"
cloud deployments delete catalog
cloud deployments create catalog --image shop/catalog:4.2.0 --replicas "$replicas" \
  --port 8081 --health-path "$health" "${env[@]}"
