#!/usr/bin/env bash
set -euo pipefail
chmod 755 /usr/local/bin/stock-export
useradd --system --home-dir /srv/stock --no-create-home --shell /usr/sbin/nologin stock
groupadd --system partner
useradd --system --home-dir /srv/partner-drop --no-create-home --shell /usr/sbin/nologin --gid partner acmesftp
mkdir -p /srv/stock /srv/partner-drop/outbox /var/log/stock
awk 'BEGIN { for (i = 1; i <= 120; i++) printf "SKU-%04d|%s|%d\n", 1000 + i * 7, (i % 3 ? "HAM-1" : "BRE-2"), (i * 53) % 400 }' >/srv/stock/levels.db
chown -R stock:stock /srv/stock /var/log/stock
chmod 750 /srv/stock
chown stock:partner /srv/partner-drop/outbox
chmod 2750 /srv/partner-drop/outbox
# Until two days ago: one file, overwritten every hour.
/usr/local/bin/stock-export >/srv/partner-drop/outbox/stock.csv
chown stock:partner /srv/partner-drop/outbox/stock.csv
chmod 640 /srv/partner-drop/outbox/stock.csv
sed -i "s/,[0-9T:-]*Z\$/,$(date -u -d "$(date -d '-2 days' +%Y-%m-%d) 10:00:01" +%Y-%m-%dT%H:%M:%SZ)/" /srv/partner-drop/outbox/stock.csv
touch -d "$(date -d '-2 days' +%Y-%m-%d) 10:00:01" /srv/partner-drop/outbox/stock.csv
printf '%s 14:00:01 stock-export: cannot read /srv/stock/levels.db\n' "$(date -d '-9 days' +%Y-%m-%d)" >/var/log/stock/export.err
chown stock:stock /var/log/stock/export.err
# The change two days ago, written by the deploy tool (no newline at the end).
printf '%s\n%s\n%s\n%s' \
  '# Hourly stock levels for the partner (one file an hour: their import wants stock-YYYYMMDD-HH.csv)' \
  'SHELL=/bin/sh' \
  'PATH=/usr/local/bin:/usr/bin:/bin' \
  '0 * * * * stock stock-export > /srv/partner-drop/outbox/stock-$(date +%Y%m%d-%H).csv 2>>/var/log/stock/export.err' \
  >/etc/cron.d/stock-export
touch -d "$(date -d '-2 days' +%Y-%m-%d) 10:42" /etc/cron.d/stock-export
systemctl restart cron.service
