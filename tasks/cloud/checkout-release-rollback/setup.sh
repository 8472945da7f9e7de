#!/usr/bin/env bash
# The on-call's two attempts on top of the stuck 2.9.0 rollout: a readiness probe change and debug logging.
set -euo pipefail
cloud deployments set-probe checkout --health-path /ready >/dev/null
cloud deployments set-env checkout --env LOG_LEVEL=debug >/dev/null
