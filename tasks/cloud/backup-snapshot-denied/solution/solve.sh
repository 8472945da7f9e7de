#!/usr/bin/env bash
# The backup user's policy lost storage:CreateSnapshot in the clean-up: give it back, scoped to volumes, and re-run the job.
set -euo pipefail
tail -n 5 /var/log/nightly-snapshots.log
cloud iam get-policy backup-job -o json
doc=$(cloud iam get-policy backup-job \
  --query 'to_string({statements: [statements, `[{"effect": "Allow", "actions": ["storage:CreateSnapshot"], "resources": ["volume/*"]}]`][]})' -o text)
cloud iam update-policy backup-job --document "$doc"
cloud iam simulate --user backup --action storage:CreateSnapshot --resource volume/vol-06d1f9b3e5a7c2084
/usr/local/bin/nightly-snapshots | tee -a /var/log/nightly-snapshots.log
