#!/usr/bin/env bash
# Wrong: every client moved, but ledger's own port only in a drop-in under /run (systemctl edit --runtime); after a reboot ledger takes 8000 again and the metrics agent cannot start.
set -euo pipefail
mkdir -p /run/systemd/system/ledger.service.d
printf '[Service]\nExecStart=\nExecStart=/usr/bin/env LEDGER_PORT=8010 /usr/bin/python3 /opt/ledger/ledger.py\n' > /run/systemd/system/ledger.service.d/override.conf
sed -i 's/127\.0\.0\.1:8000/127.0.0.1:8010/' /etc/nginx/conf.d/ledger-upstream.conf
sed -i 's|^LEDGER_URL=.*|LEDGER_URL=http://127.0.0.1:8010|' /etc/billing/billing.env
sed -i 's|^LEDGER_URL=.*|LEDGER_URL=http://localhost:8010/|' /etc/billing/local.env
sed -i 's|localhost:8000|localhost:8010|' /usr/local/bin/ledger-rollup
systemctl daemon-reload
systemctl restart ledger.service
systemctl reload nginx
systemctl restart billing.service
systemctl enable --now metrics-agent.service
