#!/usr/bin/env bash
# Wrong: delete search-indexer to free its replicas and scale search to 8; search is ready, but the production index stops being updated.
set -euo pipefail
cloud deployments delete search-indexer
cloud deployments scale search --replicas 8
