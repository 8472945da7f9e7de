#!/usr/bin/env bash
# partners.api.example.com still points at the legacy load balancer: move it to api-v2 and let it propagate
# before the load balancer goes. billing-cron carries the stack's tag and its group, but still runs the
# month-end close against the database: keep it, in a group of its own that the database admits, so that
# legacy-api can go too. Each data volume gets a final snapshot, and is deleted once that has completed.
set -euo pipefail
cloud lb list
cloud lb describe legacy
cloud instances list
cloud instances describe billing-cron
cloud volumes list
cloud security-groups describe db
cloud dns records example.com
# NOTE: steps already made (an agent's half fix, when explaining a run) are skipped, not failures.
cloud dns upsert example.com --name partners.api.example.com --type CNAME --values api-v2-lb.eu-west-1.cloud.internal --ttl 60
until [ "$(cloud dns resolve partners.api.example.com --query "contains(chain, 'api-v2-lb')" -o text)" = true ]; do sleep 1; done
cloud lb delete legacy
cloud target-groups delete legacy-api
cloud instances terminate api-old-1
cloud instances terminate api-old-2
cloud snapshots create --volume legacy-uploads --description "legacy-uploads final (CHG-8120)"
cloud snapshots create --volume legacy-uploads-b --description "legacy-uploads-b final (CHG-8120)"
until [ "$(cloud snapshots list --query "length(items[?contains(description, 'CHG-8120') && state=='completed'])" -o text)" = 2 ]; do sleep 1; done
cloud volumes delete legacy-uploads
cloud volumes delete legacy-uploads-b
cloud security-groups create --network prod --name billing-cron --description "billing-cron (BILL-311)"
cloud security-groups allow billing-cron --protocol tcp --port 22 --source bastion --description "SSH from the bastion"
cloud security-groups allow db --protocol tcp --port 5432 --source billing-cron --description "billing-cron"
cloud instances set-security-groups billing-cron --security-groups billing-cron
cloud security-groups revoke db --protocol tcp --port 5432 --source legacy-api
cloud security-groups delete legacy-api
cloud security-groups delete legacy-lb
cloud target-groups health api-v2
