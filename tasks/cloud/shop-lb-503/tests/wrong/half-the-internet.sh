#!/usr/bin/env bash
# Wrong: let HTTP in from 0.0.0.0/1 (not "0.0.0.0/0", so a literal check misses it); half the internet reaches the web servers directly.
set -euo pipefail
cloud security-groups allow shop-web --protocol tcp --port 80 --source 0.0.0.0/1 --description "HTTP from the load balancer"
