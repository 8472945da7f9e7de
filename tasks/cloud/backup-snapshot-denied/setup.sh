#!/usr/bin/env bash
# The backup job runs on this box with its own service user (profile "backup"); last night's run failed.
set -euo pipefail
chmod 755 /usr/local/bin/nightly-snapshots
cat >>/root/.cloud/credentials <<'CREDS'

[backup]
access_key_id = AKIA0BKP3M7Q1W5E9R2T
secret_access_key = Bk7Yh2Nj5Mk8Lo1Pq4Rs7Tu0Vw3Xy6Za9Cd2Ef5G
CREDS
printf '\n[profile backup]\nregion = eu-west-1\n' >>/root/.cloud/config
/usr/local/bin/nightly-snapshots >>/var/log/nightly-snapshots.log 2>&1 || true
