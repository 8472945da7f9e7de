#!/usr/bin/env bash
# Wrong: rebuild both listeners on one new target group of the three servers; HTTP is down from the removal of its listener until the new group's first health checks pass.
set -euo pipefail
ids=$(cloud instances list --query "join(',', items[?starts_with(name, 'web-')].id)" -o text)
cloud target-groups create --name shop-web-all --network prod --port 80 --protocol http --health-path /healthz
cloud target-groups register shop-web-all --instances "$ids"
cloud lb remove-listener shop-lb --port 80
cloud lb remove-listener shop-lb --port 443
cloud lb add-listener shop-lb --port 80 --protocol http --target-group shop-web-all
cloud lb add-listener shop-lb --port 443 --protocol http --target-group shop-web-all
