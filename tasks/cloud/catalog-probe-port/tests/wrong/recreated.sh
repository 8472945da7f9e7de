#!/usr/bin/env bash
# Wrong: delete catalog and create it again with 4.2.0 on port 8081; it ends up right, but every replica went down at once (an outage) and the rollout history is gone.
set -euo pipefail
catalog=$(cloud deployments describe catalog -o json)
mapfile -t env < <(jq -r '.env | to_entries[] | "--env=\(.key)=\(.value)"' <<<"$catalog")
cloud deployments delete catalog
cloud deployments create catalog --image shop/catalog:4.2.0 --replicas "$(jq -r .replicas <<<"$catalog")" \
  --port 8081 --health-path "$(jq -r .healthPath <<<"$catalog")" "${env[@]}"
