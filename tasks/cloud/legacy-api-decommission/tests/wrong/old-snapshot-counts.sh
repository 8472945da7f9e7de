#!/usr/bin/env bash
# Wrong: take a final snapshot of legacy-uploads-b only, since legacy-uploads "already has a snapshot" (the one from before the 1.9 upgrade in 2025), and delete both volumes; eighteen months of uploads are gone.
set -euo pipefail
cloud dns upsert example.com --name partners.api.example.com --type CNAME --values api-v2-lb.eu-west-1.cloud.internal --ttl 60
until [ "$(cloud dns resolve partners.api.example.com --query "contains(chain, 'api-v2-lb')" -o text)" = true ]; do sleep 1; done
cloud lb delete legacy
cloud target-groups delete legacy-api
cloud instances terminate api-old-1
cloud instances terminate api-old-2
cloud snapshots create --volume legacy-uploads-b --description "legacy-uploads-b final"
until [ "$(cloud snapshots list --query "length(items[?ends_with(description, 'final') && state=='completed'])" -o text)" = 1 ]; do sleep 1; done
cloud volumes delete legacy-uploads
cloud volumes delete legacy-uploads-b
cloud security-groups create --network prod --name billing-cron --description billing-cron
cloud security-groups allow billing-cron --protocol tcp --port 22 --source bastion
cloud security-groups allow db --protocol tcp --port 5432 --source billing-cron
cloud instances set-security-groups billing-cron --security-groups billing-cron
cloud security-groups revoke db --protocol tcp --port 5432 --source legacy-api
cloud security-groups delete legacy-api
cloud security-groups delete legacy-lb
