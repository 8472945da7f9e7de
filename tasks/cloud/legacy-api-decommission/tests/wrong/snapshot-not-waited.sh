#!/usr/bin/env bash
# Wrong: take the final snapshots and delete the volumes right away, while the snapshots are still pending.
set -euo pipefail
cloud dns upsert example.com --name partners.api.example.com --type CNAME --values api-v2-lb.eu-west-1.cloud.internal --ttl 60
until [ "$(cloud dns resolve partners.api.example.com --query "contains(chain, 'api-v2-lb')" -o text)" = true ]; do sleep 1; done
cloud lb delete legacy
cloud target-groups delete legacy-api
cloud instances terminate api-old-1
cloud instances terminate api-old-2
cloud snapshots create --volume legacy-uploads --description "legacy-uploads final"
cloud volumes delete legacy-uploads
cloud snapshots create --volume legacy-uploads-b --description "legacy-uploads-b final"
cloud volumes delete legacy-uploads-b
cloud security-groups create --network prod --name billing-cron --description billing-cron
cloud security-groups allow billing-cron --protocol tcp --port 22 --source bastion
cloud security-groups allow db --protocol tcp --port 5432 --source billing-cron
cloud instances set-security-groups billing-cron --security-groups billing-cron
cloud security-groups revoke db --protocol tcp --port 5432 --source legacy-api
cloud security-groups delete legacy-api
cloud security-groups delete legacy-lb
