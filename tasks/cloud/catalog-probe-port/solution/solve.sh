#!/usr/bin/env bash
# 4.2.0 listens on 8081 (its log and the registry say so) but the probe still asks 8080: move the probe.
set -euo pipefail
cloud deployments replicas catalog
cloud deployments logs catalog
port=$(cloud registry list --query "items[?image=='shop/catalog:4.2.0'].port" -o text)
cloud deployments set-probe catalog --port "$port"
for _ in $(seq 1 40); do
  cloud deployments status catalog && exit 0
  sleep 2
done
exit 1
