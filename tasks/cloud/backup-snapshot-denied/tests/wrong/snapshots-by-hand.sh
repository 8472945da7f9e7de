#!/usr/bin/env bash
# Wrong: take tonight's snapshots by hand with the ops credentials and leave the job as it is; there are fresh snapshots today, but the job fails again tonight.
set -euo pipefail
for vol in ledger-db-data payments-db-data; do
  cloud snapshots create --volume "$vol" --description "manual $(date -u +%F)"
done
