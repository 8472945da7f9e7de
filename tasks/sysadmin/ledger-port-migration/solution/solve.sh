#!/usr/bin/env bash
# ledger reads its port from /etc/default/ledger. Its clients: nginx's upstream (conf.d), billing (whose
# drop-in adds /etc/billing/local.env, which overrides billing.env with a localhost URL) and the nightly
# roll-up's script. Move them all, then start and enable the metrics agent.
set -euo pipefail
ss -ltnp 'sport = :8000'
systemctl status metrics-agent.service --no-pager || true
systemctl cat ledger.service billing.service
grep -rn -e ':8000' /etc /usr/local/bin /opt 2>/dev/null || true
sed -i 's/^LEDGER_PORT=.*/LEDGER_PORT=8010/' /etc/default/ledger
sed -i 's/127\.0\.0\.1:8000/127.0.0.1:8010/' /etc/nginx/conf.d/ledger-upstream.conf
sed -i 's|^LEDGER_URL=.*|LEDGER_URL=http://127.0.0.1:8010|' /etc/billing/billing.env
sed -i 's|^LEDGER_URL=.*|LEDGER_URL=http://localhost:8010/|' /etc/billing/local.env
sed -i 's|localhost:8000|localhost:8010|' /usr/local/bin/ledger-rollup
systemctl restart ledger.service
nginx -t
systemctl reload nginx
systemctl restart billing.service
systemctl enable --now metrics-agent.service
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8000/metrics >/dev/null && break; sleep 0.2; done
curl -s http://127.0.0.1:8088/ledger/health
journalctl -u billing.service -n 3 --no-pager || true
