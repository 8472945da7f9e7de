#!/usr/bin/env bash
# The leaked key lives in three places on this box: root's "archiver" profile (invoice-snapshot), the
# environment file of fleet-inventory.service (its variables win over any profile) and finops's default
# profile (capacity-report). The account already holds two keys (the leaked one and one retired, inactive), so
# a new key needs room first: delete the retired one. Put the new key everywhere, check each job, then turn
# the leaked key off (and run the jobs again).
set -euo pipefail
LEAKED=AKIA0ARC5L8M2Q7W4X1N
cloud iam users
cloud iam access-keys archiver
grep -rl "$LEAKED" /etc /root /home /usr/local /var/spool/cron 2>/dev/null || true
cat /etc/cron.d/billing-jobs /etc/systemd/system/fleet-inventory.service
# NOTE: a retired key already deleted (an agent's half fix, when explaining a run) is not a failure.
retired=$(cloud iam access-keys archiver --query "items[?status=='Inactive'].accessKeyId" -o text)
for k in $retired; do cloud iam delete-access-key archiver --access-key-id "$k"; done
new=$(cloud iam create-access-key archiver --query "[accessKeyId, secretAccessKey]" -o text)
id=${new%%$'\t'*}
secret=${new#*$'\t'}
sed -i "/^\[archiver\]/,/^\[/{s|^access_key_id.*|access_key_id = $id|;s|^secret_access_key.*|secret_access_key = $secret|}" \
  /root/.cloud/credentials
sed -i "s|^CLOUD_ACCESS_KEY_ID=.*|CLOUD_ACCESS_KEY_ID=$id|;s|^CLOUD_SECRET_ACCESS_KEY=.*|CLOUD_SECRET_ACCESS_KEY=$secret|" \
  /etc/default/fleet-inventory
sed -i "s|^access_key_id.*|access_key_id = $id|;s|^secret_access_key.*|secret_access_key = $secret|" \
  /home/finops/.cloud/credentials
CLOUD_PROFILE=archiver cloud iam whoami
runuser -u finops -- cloud iam whoami
cloud iam update-access-key archiver --access-key-id "$LEAKED" --status Inactive
cloud iam access-keys archiver
CLOUD_PROFILE=archiver invoice-snapshot
systemctl start fleet-inventory.service
systemctl show -p Result fleet-inventory.service
runuser -u finops -- bash -lc capacity-report
