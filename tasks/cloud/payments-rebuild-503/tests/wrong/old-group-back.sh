#!/usr/bin/env bash
# Wrong: give the rebuilt servers their old group back as well; the health port and the database work again, and
# its pre-load-balancer rule opens the API port to the whole internet.
set -euo pipefail
for server in payments-3 payments-4; do
  cloud instances set-security-groups "$server" --security-groups payments-app,payments
done
