#!/usr/bin/env bash
# The activity export shows what the leaked key did from 198.51.100.231: a user svc-backup (look-alike of the
# backups' svc-backups) with the break-glass admin policy and a key, a second key for ci, SSH open to the internet
# on the build caches' group, and two "build caches" of its own. Turn every key it holds off, undo the rule, power
# its machines off (kept for forensics).
set -euo pipefail
A=/root/SEC-IR-412/api-activity.jsonl
cat /root/SEC-IR-412/finding.txt
jq -c 'select(.sourceIPAddress | startswith("10.") | not) | [.eventTime, .eventName, .requestParameters, .responseElements, .errorCode]' "$A"
cloud iam access-keys ci
for key in $(cloud iam access-keys ci --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key ci --access-key-id "$key" --status Inactive
done
cloud iam users
cloud iam access-keys svc-backup
for key in $(cloud iam access-keys svc-backup --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key svc-backup --access-key-id "$key" --status Inactive
done
cloud iam detach-policy break-glass-admin --user svc-backup
cloud security-groups describe ci-cache
cloud security-groups revoke ci-cache --protocol tcp --port 22 --source 0.0.0.0/0
for id in $(jq -r 'select(.eventName == "RunInstances" and .errorCode == null) | .responseElements.id' "$A"); do
  cloud instances stop "$id"
done
cloud instances list
cloud iam access-keys ci
cloud iam access-keys svc-backup
