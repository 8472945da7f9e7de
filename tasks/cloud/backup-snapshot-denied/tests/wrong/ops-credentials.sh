#!/usr/bin/env bash
# Wrong: make the job use the ops credentials instead of its own user and run it; the snapshots exist, taken with the admin key the clean-up took away from jobs.
set -euo pipefail
sed -i 's/^export CLOUD_PROFILE=backup$/export CLOUD_PROFILE=default/' /usr/local/bin/nightly-snapshots
/usr/local/bin/nightly-snapshots | tee -a /var/log/nightly-snapshots.log
