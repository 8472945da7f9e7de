#!/usr/bin/env bash
# Wrong: give api a REDIS_URL of localhost so 2.3.0 starts; it rolls out, but every replica caches sessions on a cache that is not there in production.
set -euo pipefail
cloud deployments set-env api --env REDIS_URL=redis://localhost:6379/0
