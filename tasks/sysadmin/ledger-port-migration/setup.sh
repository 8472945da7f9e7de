#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/ledger /opt/billing /opt/metrics-agent /opt/metrics-agent/bin /opt/metrics-agent/bin/metrics-agent /usr/local/bin/ledger-rollup
chmod 644 /opt/ledger/ledger.py /opt/billing/billing.py /usr/lib/systemd/system/metrics-agent.service
useradd --system --home-dir /var/lib/ledger --shell /usr/sbin/nologin ledger
useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin billing
mkdir -p /var/lib/ledger /etc/billing
for day in 25 26 27 28 29 30; do
  printf '2026-11-%sT02:15:01 rollup rollup close day=2026-11-%02d\n' "$day" "$((day - 1))"
done > /var/lib/ledger/journal.log
chown -R ledger:ledger /var/lib/ledger
chmod 750 /var/lib/ledger
echo 'LEDGER_PORT=8000' > /etc/default/ledger
cat > /etc/systemd/system/ledger.service <<'UNIT'
[Unit]
Description=ledger, the books' journal
After=network.target

[Service]
User=ledger
Group=ledger
EnvironmentFile=/etc/default/ledger
ExecStart=/usr/bin/python3 /opt/ledger/ledger.py
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
cat > /etc/billing/billing.env <<'ENV'
LEDGER_URL=http://127.0.0.1:8000
BILLING_INTERVAL=3
ENV
cat > /etc/billing/local.env <<'ENV'
LEDGER_URL=http://localhost:8000/
ENV
cat > /etc/systemd/system/billing.service <<'UNIT'
[Unit]
Description=billing, books invoices in the ledger
After=network.target ledger.service

[Service]
User=billing
EnvironmentFile=/etc/billing/billing.env
ExecStart=/usr/bin/python3 /opt/billing/billing.py
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
mkdir -p /etc/systemd/system/billing.service.d
cat > /etc/systemd/system/billing.service.d/local.conf <<'UNIT'
[Service]
EnvironmentFile=-/etc/billing/local.env
UNIT
cat > /etc/cron.d/ledger-rollup <<'CRON'
SHELL=/bin/sh
PATH=/usr/local/bin:/usr/bin:/bin
# Nightly roll-up of the ledger's journal
15 2 * * * ledger /usr/local/bin/ledger-rollup
CRON
cat > /etc/nginx/conf.d/ledger-upstream.conf <<'CONF'
upstream ledger {
    server 127.0.0.1:8000;
    keepalive 4;
}
CONF
cat > /etc/nginx/sites-available/books <<'CONF'
server {
    listen 8088;
    server_name books.internal;

    location /ledger/ {
        proxy_pass http://ledger/;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header X-Client books-ui;
    }
    location / {
        return 200 "books ui\n";
    }
}
CONF
ln -s ../sites-available/books /etc/nginx/sites-enabled/books
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/ledger.service /etc/systemd/system/multi-user.target.wants/ledger.service
ln -s /etc/systemd/system/billing.service /etc/systemd/system/multi-user.target.wants/billing.service
systemctl daemon-reload
systemctl start ledger.service
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8000/health >/dev/null && break; sleep 0.2; done
systemctl start billing.service
systemctl reload-or-restart nginx
systemctl start metrics-agent.service 2>/dev/null || true
