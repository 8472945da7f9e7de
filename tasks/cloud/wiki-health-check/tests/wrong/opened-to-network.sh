#!/usr/bin/env bash
# Wrong: open the wiki servers' port 8080 to the whole corporate network "so the load balancer gets through", and fix the health path; it works, and every desk now reaches the servers directly.
set -euo pipefail
cloud security-groups allow wiki-app --protocol tcp --port 8080 --source 10.40.0.0/16 --description "wiki"
cloud target-groups set-health-check wiki --health-path /-/healthy
