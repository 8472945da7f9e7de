#!/usr/bin/env bash
# The rebuilt servers' new group (payments-app) admits the API port from the load balancer but not the
# health check's port (9090), and the database still admits only the old group, which nothing carries.
# Admit each from the right group; neither the old group's public rule nor the health check moves.
set -euo pipefail
cloud target-groups health pay-api
cloud target-groups list
cloud instances list
cloud security-groups describe payments-app
cloud security-groups describe payments
# NOTE: a rule that is already there (an agent's half fix, when explaining a run) is what this script wants.
cloud security-groups allow payments-app --protocol tcp --port 9090 --source pay-lb --description "health checks from pay-lb" || true
cloud security-groups describe pay-db
cloud security-groups allow pay-db --protocol tcp --port 5432 --source payments-app --description "payments API (CHG-5120)" || true
cloud target-groups health pay-api
