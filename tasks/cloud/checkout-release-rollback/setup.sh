#!/usr/bin/env bash
# The stuck 2.9.0 rollout and the on-call's two attempts on top of it (a readiness probe change and debug
# logging) are in cloud.json; the VM only needs the CLI, which the runner configures.
set -euo pipefail
cloud iam whoami >/dev/null
