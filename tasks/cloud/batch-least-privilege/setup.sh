#!/usr/bin/env bash
# The ops box's periodic jobs run from cron as the batch account (profile "batch"; the report scaler switches to a role).
set -euo pipefail
chmod 755 /usr/local/bin/db-snapshot /usr/local/bin/reports-scale /usr/local/bin/dns-canary \
  /usr/local/bin/quota-report /usr/local/bin/ci-runner-reaper
chmod 644 /etc/cron.d/batch-jobs /etc/batch/dns-canary.conf
mkdir -p /var/lib/batch
cat >>/root/.cloud/credentials <<'CREDS'

[batch]
access_key_id = AKIA0BAT3C7H1J5O9B2S
secret_access_key = Ba7Tc3Hj1Ob5Sx9Qw2Er6Ty0Ui4Op8As1Df5Gh9K

[batch-reports]
access_key_id = AKIA0BAT3C7H1J5O9B2S
secret_access_key = Ba7Tc3Hj1Ob5Sx9Qw2Er6Ty0Ui4Op8As1Df5Gh9K
CREDS
printf '\n[profile batch]\nregion = eu-west-1\n\n[profile batch-reports]\nregion = eu-west-1\nrole = reports-scaler\n' >>/root/.cloud/config
