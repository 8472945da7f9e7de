#!/usr/bin/env bash
set -euo pipefail
groupadd orders
useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin --groups orders exporter
useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin --groups orders uploader
useradd --create-home --shell /bin/bash dev
mkdir -p /etc/orders /var/lib/orders /srv/partner-drop/inbox /var/log/orders
cat >/etc/orders/export.conf <<'CONF'
# Where the nightly export leaves its file for the upload job
EXPORT_DIR=/tmp/exports
CONF
# The shop's order book: what the export reads.
awk 'BEGIN {
  print "order,placed,customer,email,total_eur"
  for (i = 1; i <= 462; i++) {
    day = int((i - 1) / 14) + 1; month = day > 30 ? 12 : 11; d = day > 30 ? day - 30 : day
    printf "SO-%05d,2026-%02d-%02d %02d:%02d,CUST-%04d,customer%d@example.net,%d.%02d\n", 70000 + i, month, d, 8 + i % 12, (i * 7) % 60, (i * 37) % 900, (i * 37) % 900, (i * 7919) % 5000 + 10, i % 100
  }
}' >/var/lib/orders/orders.csv
chgrp -R orders /var/lib/orders
chmod 750 /var/lib/orders
chmod 640 /var/lib/orders/orders.csv
cat >/usr/local/bin/export-orders <<'SH'
#!/bin/sh
# export-orders: writes yesterday's orders to $EXPORT_DIR/orders-DAY.csv for the upload job.
set -eu
. /etc/orders/export.conf
day=${1:-$(date -d yesterday +%F)}
umask 027
mkdir -p "$EXPORT_DIR"
chgrp orders "$EXPORT_DIR"
chmod 2770 "$EXPORT_DIR"
awk -F, -v day="$day" 'NR == 1 || index($2, day) == 1' /var/lib/orders/orders.csv >"$EXPORT_DIR/.orders-$day.csv"
mv "$EXPORT_DIR/.orders-$day.csv" "$EXPORT_DIR/orders-$day.csv"
echo "export-orders: wrote $(($(wc -l <"$EXPORT_DIR/orders-$day.csv") - 1)) orders of $day to $EXPORT_DIR/orders-$day.csv"
SH
cat >/usr/local/bin/upload-orders <<'SH'
#!/bin/sh
# upload-orders: moves the export's files into the partner's drop folder (cron, 01:30).
set -eu
. /etc/orders/export.conf
log=/var/log/orders/upload.log
count=0
for file in "$EXPORT_DIR"/orders-*.csv; do
  [ -e "$file" ] || continue
  cp "$file" "/srv/partner-drop/inbox/.${file##*/}"
  mv "/srv/partner-drop/inbox/.${file##*/}" "/srv/partner-drop/inbox/${file##*/}"
  rm "$file"
  count=$((count + 1))
done
echo "$(date '+%F %T') upload-orders: $count file(s) uploaded" >>"$log"
SH
chmod 755 /usr/local/bin/export-orders /usr/local/bin/upload-orders
cat >/etc/cron.d/orders-upload <<'CRON'
SHELL=/bin/sh
PATH=/usr/local/bin:/usr/bin:/bin
# Nightly upload of the order export to the partner's drop folder
30 1 * * * uploader /usr/local/bin/upload-orders
CRON
# The partner's drop folder, and what the upload job delivered until Monday.
awk -F, 'NR == 1 { head = $0; next } { day = substr($2, 1, 10) }
  day >= "2026-11-26" && day <= "2026-11-30" {
    file = "/srv/partner-drop/inbox/orders-" day ".csv"
    if (!(file in done)) { print head >file; done[file] = 1 }
    print >file
  }' /var/lib/orders/orders.csv
while read -r day next; do
  touch -d "$next 01:30:02" "/srv/partner-drop/inbox/orders-$day.csv"
  echo "$next 01:30:02 upload-orders: 1 file(s) uploaded"
done >/var/log/orders/upload.log <<'DAYS'
2026-11-26 2026-11-27
2026-11-27 2026-11-28
2026-11-28 2026-11-29
2026-11-29 2026-11-30
2026-11-30 2026-12-01
DAYS
for day in 2026-12-02 2026-12-03; do echo "$day 01:30:01 upload-orders: 0 file(s) uploaded"; done >>/var/log/orders/upload.log
chown -R uploader:uploader /srv/partner-drop /var/log/orders
chmod 750 /srv/partner-drop /srv/partner-drop/inbox
chmod 640 /srv/partner-drop/inbox/*.csv /var/log/orders/upload.log
cat >/etc/systemd/system/export-orders.service <<'UNIT'
[Unit]
Description=Nightly order export for the partner

[Service]
Type=oneshot
User=exporter
Group=exporter
ExecStart=/usr/local/bin/export-orders
UNIT
mkdir -p /etc/systemd/system/export-orders.service.d
cat >/etc/systemd/system/export-orders.service.d/hardening.conf <<'UNIT'
# SEC-131 (2026-12-01): hardening of the batch jobs that handle customer data
[Service]
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=yes
NoNewPrivileges=yes
PrivateDevices=yes
UNIT
cat >/etc/systemd/system/export-orders.timer <<'UNIT'
[Unit]
Description=Nightly order export for the partner

[Timer]
OnCalendar=*-*-* 01:00:00
Persistent=true

[Install]
WantedBy=timers.target
UNIT
touch -d '2026-12-01 11:05' /etc/systemd/system/export-orders.service.d/hardening.conf /etc/systemd/system/export-orders.service.d
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/export-orders.timer /etc/systemd/system/timers.target.wants/export-orders.timer
systemctl daemon-reload
systemctl start export-orders.timer
# Last night's export, as its timer ran it.
systemctl start export-orders.service
