#!/usr/bin/env bash
# Wrong: delete the api deployment and create it again with 2.3.0 and the cache; it ends up right, but every replica went down at once (an outage) and the rollout history is gone.
set -euo pipefail
# Its replicas, port and health path, then one line a variable: NAME<tab>VALUE.
api=$(cloud deployments describe api --query "[replicas, port, healthPath, items(env)]" -o text)
redis=$(cloud deployments describe worker --query env.REDIS_URL -o text)
env=()
{
  read -r replicas
  read -r port
  read -r health
  while IFS=$'\t' read -r key value; do env+=("--env=$key=$value"); done
} <<<"$api"
cloud deployments delete api
cloud deployments create api --image shop/api:2.3.0 --replicas "$replicas" \
  --port "$port" --health-path "$health" "${env[@]}" --env "REDIS_URL=$redis"
