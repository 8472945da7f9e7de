#!/usr/bin/env bash
# Wrong: remove everything tagged stack=legacy-api, billing-cron included (its tag says legacy); the month-end billing close has no server any more.
set -euo pipefail
cloud dns upsert example.com --name partners.api.example.com --type CNAME --values api-v2-lb.eu-west-1.cloud.internal --ttl 60
until [ "$(cloud dns resolve partners.api.example.com --query "contains(chain, 'api-v2-lb')" -o text)" = true ]; do sleep 1; done
cloud lb delete legacy
cloud target-groups delete legacy-api
cloud instances terminate api-old-1
cloud instances terminate api-old-2
cloud instances terminate billing-cron
cloud snapshots create --volume legacy-uploads --description "legacy-uploads final"
cloud snapshots create --volume legacy-uploads-b --description "legacy-uploads-b final"
until [ "$(cloud snapshots list --query "length(items[?ends_with(description, 'final') && state=='completed'])" -o text)" = 2 ]; do sleep 1; done
cloud volumes delete legacy-uploads
cloud volumes delete legacy-uploads-b
cloud security-groups revoke db --protocol tcp --port 5432 --source legacy-api
cloud security-groups delete legacy-api
cloud security-groups delete legacy-lb
