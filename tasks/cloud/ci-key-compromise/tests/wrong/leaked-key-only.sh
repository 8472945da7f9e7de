#!/usr/bin/env bash
# Wrong: turn off the leaked key only; the intruder gave the ci account a second key, which still works.
set -euo pipefail
cloud iam update-access-key ci --access-key-id AKIA0CIP7X3M9Q1V5B8N --status Inactive
for key in $(cloud iam access-keys svc-backup --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key svc-backup --access-key-id "$key" --status Inactive
done
cloud iam detach-policy break-glass-admin --user svc-backup
cloud security-groups revoke ci-cache --protocol tcp --port 22 --source 0.0.0.0/0
for id in $(jq -r 'select(.eventName == "RunInstances" and .errorCode == null) | .responseElements.id' /root/SEC-IR-412/api-activity.jsonl); do
  cloud instances stop "$id"
done
