#!/usr/bin/env bash
# Wrong: delete checkout and create it again on 2.8.0 with the right configuration; the shop has no checkout while it starts, and its history is gone.
set -euo pipefail
cloud deployments delete checkout
cloud deployments create checkout --image shop/checkout:2.8.0 --replicas 4 --env DATABASE_URL=postgres://checkout@orders-db.internal:5432/checkout --env PAYMENT_API_URL=https://pay-v2.internal/api --env SESSION_STORE=redis://sessions.internal:6379/2
