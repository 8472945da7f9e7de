#!/usr/bin/env bash
# The task's state lives in the cloud (cloud.json); the VM only needs the CLI, which the runner configures.
set -euo pipefail
cloud iam whoami >/dev/null
