#!/usr/bin/env bash
# Wrong: move ledger, nginx's upstream and billing.env, then start the agent; billing's drop-in still reads local.env (localhost:8000) and the roll-up script still calls port 8000, now the metrics agent's.
set -euo pipefail
sed -i 's/^LEDGER_PORT=.*/LEDGER_PORT=8010/' /etc/default/ledger
sed -i 's/127\.0\.0\.1:8000/127.0.0.1:8010/' /etc/nginx/conf.d/ledger-upstream.conf
sed -i 's|^LEDGER_URL=.*|LEDGER_URL=http://127.0.0.1:8010|' /etc/billing/billing.env
systemctl restart ledger.service
systemctl reload nginx
systemctl restart billing.service
systemctl enable --now metrics-agent.service
