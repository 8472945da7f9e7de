#!/usr/bin/env bash
# The web servers' group still admits HTTP only from the old load balancer's group: admit the new one's.
set -euo pipefail
cloud target-groups health shop-web
cloud lb describe shop-v2
cloud security-groups allow shop-web --protocol tcp --port 80 --source shop-lb --description "HTTP from shop-v2"
cloud security-groups revoke shop-web --protocol tcp --port 80 --source shop-lb-legacy
cloud target-groups health shop-web
