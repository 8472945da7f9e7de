#!/usr/bin/env bash
# Wrong: let HTTP into the web servers from 0.0.0.0/0; the targets turn healthy, but the web servers are open to the internet, past the load balancer.
set -euo pipefail
cloud security-groups allow shop-web --protocol tcp --port 80 --source 0.0.0.0/0 --description "HTTP"
