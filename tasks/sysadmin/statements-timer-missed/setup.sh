#!/usr/bin/env bash
set -euo pipefail
useradd --system --home-dir /var/lib/billing --no-create-home --shell /usr/sbin/nologin billing
mkdir -p /var/lib/billing /var/spool/statements/outbox /var/log/statements
for n in $(seq 101 124); do printf 'CUST-%03d\n' "$n"; done >/var/lib/billing/customers.txt
cat >/usr/local/bin/send-statements <<'SH'
#!/bin/sh
# send-statements: puts this month's statement of every customer in the mail outbox.
set -eu
month=$(date +%Y-%m)
now=$(date '+%F %T')
stamp=$(date +%Y%m%d%H%M%S)
outbox=/var/spool/statements/outbox/$month
mkdir -p "$outbox"
count=0
while read -r customer; do
  printf 'Statement %s for %s\nOpening balance, invoices and payments of the month: see the portal.\n' "$month" "$customer" \
    >"$outbox/STMT-$customer-$month-$stamp.txt"
  echo "$now sent $month $customer" >>/var/log/statements/sent.log
  count=$((count + 1))
done </var/lib/billing/customers.txt
echo "send-statements: $count statements for $month queued"
SH
chmod 755 /usr/local/bin/send-statements
for month in 2026-09 2026-10 2026-11; do
  mkdir -p "/var/spool/statements/outbox/$month"
  stamp=${month/-/}01070001
  while read -r customer; do
    printf 'Statement %s for %s\nOpening balance, invoices and payments of the month: see the portal.\n' "$month" "$customer" \
      >"/var/spool/statements/outbox/$month/STMT-$customer-$month-$stamp.txt"
    echo "$month-01 07:00:01 sent $month $customer"
  done </var/lib/billing/customers.txt
done >/var/log/statements/sent.log
chown -R billing:billing /var/lib/billing /var/spool/statements /var/log/statements
cat >/etc/systemd/system/statements.service <<'UNIT'
[Unit]
Description=Monthly customer statements

[Service]
Type=oneshot
User=billing
ExecStart=/usr/local/bin/send-statements
UNIT
cat >/etc/systemd/system/monthly-statements.timer <<'UNIT'
[Unit]
Description=Monthly customer statements, 07:00 on the 1st (was cron: 0 7 1 * *)

[Timer]
OnCalendar=*-01-* 07:00:00

[Install]
WantedBy=timers.target
UNIT
touch -d '2026-11-20 15:12' /etc/systemd/system/statements.service /etc/systemd/system/monthly-statements.timer /usr/local/bin/send-statements
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/monthly-statements.timer /etc/systemd/system/timers.target.wants/monthly-statements.timer
systemctl daemon-reload
systemctl start monthly-statements.timer 2>/dev/null || true
