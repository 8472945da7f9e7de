#!/usr/bin/env bash
# Wrong: admit the database from the new group, but move the health check to the API port's "/" (admitted
# already) instead of admitting the health port; the pipeline's drain through /healthz stops working.
set -euo pipefail
cloud security-groups allow pay-db --protocol tcp --port 5432 --source payments-app --description "payments API"
cloud target-groups set-health-check pay-api --health-port 8080 --health-path /
