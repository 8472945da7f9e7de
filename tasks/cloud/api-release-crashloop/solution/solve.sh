#!/usr/bin/env bash
# 2.3.0 exits without REDIS_URL; the worker already uses the production cache: give the api the same.
set -euo pipefail
cloud deployments replicas api
cloud deployments logs api
redis=$(cloud deployments describe worker --query env.REDIS_URL -o text)
cloud deployments set-env api --env "REDIS_URL=$redis"
for _ in $(seq 1 40); do
  cloud deployments status api && exit 0
  sleep 2
done
exit 1
