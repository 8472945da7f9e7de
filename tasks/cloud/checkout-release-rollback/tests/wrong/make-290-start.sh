#!/usr/bin/env bash
# Wrong: make 2.9.0 start with a guessed feature-flag URL; it rolls out, against the release manager's decision.
set -euo pipefail
cloud deployments set-env checkout --env FEATURE_FLAGS_URL=http://flags.internal:8080
