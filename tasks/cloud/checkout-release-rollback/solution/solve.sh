#!/usr/bin/env bash
# Revision 3 (2.8.0 with Monday's PAYMENT_API_URL) is the last one that served; on top of 2.9.0 (4) the
# on-call made 5 (probe /ready) and 6 (LOG_LEVEL=debug), so a plain rollback returns to 5. Roll back to 3.
set -euo pipefail
cloud deployments list
cloud deployments replicas checkout
cloud deployments logs checkout
cloud deployments history checkout
cloud deployments rollback checkout --to-revision 3
for _ in $(seq 60); do
  cloud deployments status checkout 2>/dev/null && break
  sleep 1
done
cloud deployments describe checkout
