#!/usr/bin/env bash
# Wrong: attach the ops team's admin policy to the backup user and re-run the job; it works, with a key that can now delete volumes and change IAM.
set -euo pipefail
cloud iam attach-policy ops-admin --user backup
/usr/local/bin/nightly-snapshots | tee -a /var/log/nightly-snapshots.log
