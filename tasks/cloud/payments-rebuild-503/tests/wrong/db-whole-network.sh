#!/usr/bin/env bash
# Wrong: the health port from the load balancer, and the database opened to the whole network (10.30.0.0/16).
set -euo pipefail
cloud security-groups allow payments-app --protocol tcp --port 9090 --source pay-lb --description "health checks"
cloud security-groups allow pay-db --protocol tcp --port 5432 --source 10.30.0.0/16 --description "payments API"
