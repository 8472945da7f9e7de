#!/usr/bin/env bash
# Wrong: turn off the keys of both backup-looking accounts to be safe; the nightly snapshots (svc-backups) stop working.
set -euo pipefail
for key in $(cloud iam access-keys ci --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key ci --access-key-id "$key" --status Inactive
done
for key in $(cloud iam access-keys svc-backup --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key svc-backup --access-key-id "$key" --status Inactive
done
cloud iam detach-policy break-glass-admin --user svc-backup
cloud iam update-access-key svc-backups --access-key-id AKIA0BKS4D8F2G6H1J5K --status Inactive
cloud security-groups revoke ci-cache --protocol tcp --port 22 --source 0.0.0.0/0
for id in $(jq -r 'select(.eventName == "RunInstances" and .errorCode == null) | .responseElements.id' /root/SEC-IR-412/api-activity.jsonl); do
  cloud instances stop "$id"
done
