#!/usr/bin/env bash
set -euo pipefail
ln -sf /lib/systemd/system/ssh.service /etc/systemd/system/multi-user.target.wants/ssh.service
systemctl start --no-block ssh.service
groupadd finance
groupadd invoicing
useradd --create-home --shell /bin/bash --groups finance anna
useradd --create-home --shell /bin/bash --comment 'Martin Weber' --groups finance,invoicing mweber
useradd --create-home --shell /bin/bash --comment 'Mark Webb' mwebb
useradd --create-home --shell /bin/bash --comment 'deployments' deploy
useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin reports
echo 'anna:Ledger-anna-2026!
mweber:Winter-mw-2026#' | chpasswd
# keys NAME LINE...: NAME's authorized_keys.
keys() {
  local home
  home=$(getent passwd "$1" | cut -d: -f6)
  install -d -m 700 -o "$1" -g "$(id -gn "$1")" "$home/.ssh"
  shift
  printf '%s\n' "$@" >"${home}/.ssh/authorized_keys"
  chown "$(stat -c %U "${home}/.ssh")": "${home}/.ssh/authorized_keys"
  chmod 600 "${home}/.ssh/authorized_keys"
}
keys anna "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHxeDGVWrxf2T+JAvt46SX5sIy+K0EFiogI8N2zhFOhY anna@fin-laptop-07"
keys mweber "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIARmTqyMSyUL0UPR7fdX7LIQkV9Ykj8kcMOGBdcb9SLF martin.weber@x1carbon"
keys mwebb "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaOttqaHQTwzSO//qJQHYpgWe8ZWX+Bj3p7Pw4Gice/ mwebb@ops-laptop"
keys deploy "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQ3uich9YBMIZkx0gg5lrPvJc1vqtkHuiD6MduQaczH ci-runner@build-01" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMaOttqaHQTwzSO//qJQHYpgWe8ZWX+Bj3p7Pw4Gice/ mwebb@ops-laptop" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIARmTqyMSyUL0UPR7fdX7LIQkV9Ykj8kcMOGBdcb9SLF martin@x1carbon"
keys root "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOonW0TETSCSKrrgLLpZCwASGLWux+neRMjWLL5E0f1e ops-breakglass-2026" "from=\"10.20.0.0/16,127.0.0.1\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIARmTqyMSyUL0UPR7fdX7LIQkV9Ykj8kcMOGBdcb9SLF mw-emergency"
cat >/etc/sudoers.d/finance <<'SUDO'
# Finance may re-run the nightly reports by hand.
%finance ALL=(root) NOPASSWD: /usr/bin/systemctl start invoice-report.service
SUDO
cat >/etc/sudoers.d/mweber <<'SUDO'
# FIN-2291: Martin maintains the invoicing jobs
mweber ALL=(root) NOPASSWD: /usr/bin/systemctl restart invoice-report.timer, /usr/bin/journalctl -u invoice-report.service, /usr/bin/systemctl edit invoice-report.service
SUDO
chmod 440 /etc/sudoers.d/finance /etc/sudoers.d/mweber
# The invoicing system's export: what the report reads.
install -d -m 750 -g invoicing /var/lib/invoicing
awk 'BEGIN {
  srand(4668); print "invoice,customer,amount_eur,status,due"
  split("open paid paid open paid overdue paid", st, " ")
  for (i = 1; i <= 60; i++)
    printf "INV-2026-%04d,CUST-%03d,%d.%02d,%s,2026-%02d-%02d\n", 3100 + i, (i * 37) % 211, (i * 7919) % 9000 + 100, (i * 13) % 100, st[i % 7 + 1], 11 + (i > 40), (i * 3) % 28 + 1
}' >/var/lib/invoicing/invoices.csv
chgrp invoicing /var/lib/invoicing/invoices.csv
chmod 640 /var/lib/invoicing/invoices.csv
install -d -m 700 -o mweber -g mweber /home/mweber/bin /home/mweber/drafts
cat >/home/mweber/bin/invoice-report <<'SH'
#!/bin/sh
# invoice-report: the nightly list of open and overdue invoices for finance (invoice-report.timer).
set -eu
day=$(date +%F)
out=/srv/reports/invoices/invoices-$day.csv
awk -F, 'NR == 1 || $4 == "open" || $4 == "overdue"' /var/lib/invoicing/invoices.csv >"$out.tmp"
mv "$out.tmp" "$out"
echo "invoice-report: $(($(wc -l <"$out") - 1)) open invoices in $out"
SH
chmod 750 /home/mweber/bin/invoice-report
printf 'handover notes (draft)\n- invoice-report: runs from my ~/bin, timer at 05:30\n- dunning letters: see FIN-2291\n' >/home/mweber/drafts/handover.md
printf 'Q4 reconciliation: 3 invoices disputed by CUST-074, waiting on legal\n' >/home/mweber/drafts/q4-reconciliation.txt
chown -R mweber:mweber /home/mweber/bin /home/mweber/drafts
chmod 640 /home/mweber/drafts/*
chmod 700 /home/mweber
install -d -m 2750 -o mweber -g finance /srv/reports /srv/reports/invoices
for day in 2026-11-30 2026-12-01 2026-12-02 2026-12-03; do
  awk -F, 'NR == 1 || $4 == "open" || $4 == "overdue"' /var/lib/invoicing/invoices.csv >"/srv/reports/invoices/invoices-$day.csv"
  touch -d "$day 05:30:02" "/srv/reports/invoices/invoices-$day.csv"
done
chown mweber:finance /srv/reports/invoices/*.csv
chmod 640 /srv/reports/invoices/*.csv
cat >/etc/systemd/system/invoice-report.service <<'UNIT'
[Unit]
Description=Nightly open-invoices report for finance

[Service]
Type=oneshot
User=mweber
ExecStart=/home/mweber/bin/invoice-report
UNIT
cat >/etc/systemd/system/invoice-report.timer <<'UNIT'
[Unit]
Description=Nightly open-invoices report for finance

[Timer]
OnCalendar=*-*-* 05:30:00
Persistent=true

[Install]
WantedBy=timers.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/invoice-report.timer /etc/systemd/system/timers.target.wants/invoice-report.timer
systemctl daemon-reload
systemctl start invoice-report.timer
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/22) 2>/dev/null && break; sleep 0.2; done
