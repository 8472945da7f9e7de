#!/usr/bin/env bash
# Wrong: take the admin policy off the look-alike account but leave its key on ("it can do nothing now"); the key still signs in, ready for the next policy anyone attaches.
set -euo pipefail
for key in $(cloud iam access-keys ci --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key ci --access-key-id "$key" --status Inactive
done
cloud iam detach-policy break-glass-admin --user svc-backup
cloud security-groups revoke ci-cache --protocol tcp --port 22 --source 0.0.0.0/0
for id in $(jq -r 'select(.eventName == "RunInstances" and .errorCode == null) | .responseElements.id' /root/SEC-IR-412/api-activity.jsonl); do
  cloud instances stop "$id"
done
