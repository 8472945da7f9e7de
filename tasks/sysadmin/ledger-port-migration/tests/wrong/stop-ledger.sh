#!/usr/bin/env bash
# Wrong: stop and disable ledger to free the port; the metrics agent runs, but the books' journal is gone for every client.
set -euo pipefail
systemctl disable --now ledger.service
systemctl enable --now metrics-agent.service
