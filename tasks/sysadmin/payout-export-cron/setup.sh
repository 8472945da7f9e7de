#!/usr/bin/env bash
set -euo pipefail
useradd --system --home-dir /var/spool/payouts --no-create-home --shell /usr/sbin/nologin payouts
mkdir -p /var/spool/payouts/approved /srv/bankdrop/outgoing /srv/bankdrop/collected /var/log/payouts /etc/payouts
head -c 48 /dev/urandom | base64 >/etc/payouts/bank.key
chown root:payouts /etc/payouts/bank.key
chmod 640 /etc/payouts/bank.key
# batch DAY PAYOUTS: the approved batch of DAY (YYYYMMDD).
batch() {
  awk -v day="$1" -v n="$2" 'BEGIN {
    print "iban,amount_eur,reference"
    for (i = 1; i <= n; i++)
      printf "DE%02d%018d,%d.%02d,PO-%s-%03d\n", (day * 7 + i) % 89 + 10, (day % 9973) * 1000003 * i % 1000000000000000000, (day * i) % 4800 + 120, (i * 37) % 100, day, i
  }' >"/var/spool/payouts/approved/PB-$1.csv"
}
log=/var/log/payouts/export.log
pid=2200
for day in 20261116 20261117 20261118 20261119 20261120 20261123 20261124 20261125 20261126 20261127; do
  batch "$day" $((day % 11 + 6))
  night=$(date -d "$day + 1 day" +%Y-%m-%d)
  [ "$(date -d "$night" +%u)" != 6 ] || night=$(date -d "$day + 3 days" +%Y-%m-%d)
  pid=$((pid + 37))
  sealed="PB-$day.$(date -d "$night" +%Y%m%d)013002.$pid.sealed"
  { cat "/var/spool/payouts/approved/PB-$day.csv"
    printf 'SEAL sha256=%s\n' "$(cat /etc/payouts/bank.key "/var/spool/payouts/approved/PB-$day.csv" | sha256sum | cut -d' ' -f1)"
  } >"/srv/bankdrop/collected/$sealed"
  echo "PB-$day" >>/var/spool/payouts/sent.list
  {
    echo "$night 01:30:01 [$pid] export started"
    [ "$day" != 20261123 ] || echo "$night 01:30:01 [$pid] bank-seal: warning: /etc/payouts/bank.key is readable by its group (mode 0640); 0600 is recommended"
    echo "$night 01:30:02 [$pid] sent PB-$day ($((day % 11 + 6)) payouts) as $sealed"
    echo "$night 01:30:02 [$pid] export finished: 1 batch(es) sent"
  } >>"$log"
done
for day in 20261130 20261201 20261202 20261203; do batch "$day" $((day % 11 + 6)); done
# Monday night's run was cut off by the reboot for the kernel update; its lock stayed behind, and after the
# reboot its pid went to another process.
stale=$(pidof systemd-journald)
echo "2026-11-30 01:30:01 [$stale] export started" >>"$log"
echo "$stale" >/var/spool/payouts/export.pid
chown -R payouts:payouts /var/spool/payouts /srv/bankdrop/outgoing
chmod 750 /var/spool/payouts /srv/bankdrop/outgoing
chmod 640 /var/spool/payouts/sent.list /var/spool/payouts/export.pid /var/spool/payouts/approved/*.csv
chmod 644 /srv/bankdrop/collected/*
chown -R payouts:adm /var/log/payouts
chmod 750 /var/log/payouts
chmod 640 "$log"
touch -d '2026-11-30 01:30:01' /var/spool/payouts/export.pid
cat >/etc/cron.d/payout-export <<'CRON'
# Nightly export of the approved payouts to the bank's drop folder
SHELL=/bin/sh
PATH=/usr/bin:/bin
30 1 * * * payouts /usr/local/bin/payout-export
CRON
# Monday's deploy (its tool writes files with umask 0002): bank-seal 2.1 into /usr/local/bin (1.x was
# /usr/bin/bank-seal), the crontab and the script rewritten group-writable, the script without its x bit.
chmod 755 /usr/local/bin/bank-seal
chmod 664 /etc/cron.d/payout-export /usr/local/bin/payout-export
touch -d '2026-11-30 16:05' /usr/local/bin/bank-seal /usr/local/bin/payout-export /etc/cron.d/payout-export
systemctl restart cron
