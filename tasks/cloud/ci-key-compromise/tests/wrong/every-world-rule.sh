#!/usr/bin/env bash
# Wrong: revoke every rule open to the internet, not only the intruder's; the shop's load balancer stops taking customers.
set -euo pipefail
for key in $(cloud iam access-keys ci --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key ci --access-key-id "$key" --status Inactive
done
for key in $(cloud iam access-keys svc-backup --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key svc-backup --access-key-id "$key" --status Inactive
done
cloud iam detach-policy break-glass-admin --user svc-backup
cloud security-groups revoke ci-cache --protocol tcp --port 22 --source 0.0.0.0/0
cloud security-groups revoke shop-lb --protocol tcp --port 80 --source 0.0.0.0/0
cloud security-groups revoke shop-lb --protocol tcp --port 443 --source 0.0.0.0/0
for id in $(jq -r 'select(.eventName == "RunInstances" and .errorCode == null) | .responseElements.id' /root/SEC-IR-412/api-activity.jsonl); do
  cloud instances stop "$id"
done
