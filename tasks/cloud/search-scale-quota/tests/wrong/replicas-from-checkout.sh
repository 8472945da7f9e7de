#!/usr/bin/env bash
# Wrong: take 4 replicas from checkout to get under the quota and scale search to 8; search is ready, but checkout runs at a third of its capacity during the sale.
set -euo pipefail
cloud deployments scale checkout --replicas 2
cloud deployments scale search --replicas 8
