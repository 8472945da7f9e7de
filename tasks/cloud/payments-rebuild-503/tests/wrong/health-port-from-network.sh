#!/usr/bin/env bash
# Wrong: the database from the new group, and the health port opened to the whole network instead of the load balancer.
set -euo pipefail
cloud security-groups allow payments-app --protocol tcp --port 9090 --source 10.30.0.0/16 --description "health checks"
cloud security-groups allow pay-db --protocol tcp --port 5432 --source payments-app --description "payments API"
