#!/usr/bin/env bash
# Wrong: power off every build cache, the intruder's look-alikes and ours; CI's caches are down for the post-mortem's duration.
set -euo pipefail
for key in $(cloud iam access-keys ci --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key ci --access-key-id "$key" --status Inactive
done
for key in $(cloud iam access-keys svc-backup --query "items[?status=='Active'].accessKeyId" -o text); do
  cloud iam update-access-key svc-backup --access-key-id "$key" --status Inactive
done
cloud iam detach-policy break-glass-admin --user svc-backup
cloud security-groups revoke ci-cache --protocol tcp --port 22 --source 0.0.0.0/0
for id in $(cloud instances list --query "items[?starts_with(name, 'build-cache')].id" -o text); do
  cloud instances stop "$id"
done
