#!/usr/bin/env bash
# Wrong: let HTTP in from 10.0.0.0/8 instead of the load balancer's group; the bastion and every other server in the network reach the web servers directly.
set -euo pipefail
cloud security-groups allow shop-web --protocol tcp --port 80 --source 10.0.0.0/8 --description "HTTP from inside"
