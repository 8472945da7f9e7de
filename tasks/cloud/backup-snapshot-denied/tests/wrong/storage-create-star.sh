#!/usr/bin/env bash
# Wrong: give the backup user storage:Create* to cover CreateSnapshot, and re-run the job; it also lets the job's key create volumes, past SEC-210.
set -euo pipefail
doc=$(cloud iam get-policy backup-job \
  --query 'to_string({statements: [statements, `[{"effect": "Allow", "actions": ["storage:Create*"], "resources": ["*"]}]`][]})' -o text)
cloud iam update-policy backup-job --document "$doc"
/usr/local/bin/nightly-snapshots | tee -a /var/log/nightly-snapshots.log
