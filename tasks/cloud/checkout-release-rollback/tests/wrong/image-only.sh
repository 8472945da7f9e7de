#!/usr/bin/env bash
# Wrong: set the image back to 2.8.0 and stop there; the on-call's /ready probe and debug logging stay, and 2.8.0 has no /ready: the rollout never finishes.
set -euo pipefail
cloud deployments set-image checkout --image shop/checkout:2.8.0
