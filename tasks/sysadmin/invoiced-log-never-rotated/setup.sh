#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/invoiced
chmod 644 /opt/invoiced/invoiced.py
useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin invoiced
mkdir -p /var/log/invoiced
LOG=/var/log/invoiced/invoiced.log
# days FROM TO: invoiced's log lines of the days FROM to TO days ago, 400 a day.
days() {
  local from=$1 to=$2 start
  start=$(date -u -d "$(date -d "-$from days" +%Y-%m-%d) 00:00:00" +%s)
  awk -v start="$start" -v days=$((from - to + 1)) -v first=$(((42 - from) * 400)) '
    function stamp(t,   days, secs, z, era, doe, yoe, y, doy, mp, d, m) {
      days = int(t / 86400); secs = t - days * 86400
      z = days + 719468; era = int(z / 146097); doe = z - era * 146097
      yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
      doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
      d = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9; y = yoe + era * 400 + (m <= 2)
      return sprintf("%04d-%02d-%02d %02d:%02d:%02d", y, m, d, int(secs / 3600), int(secs % 3600 / 60), secs % 60)
    }
    BEGIN {
    for (d = 0; d < days; d++) {
      for (i = 0; i < 400; i++) {
        n = first + d * 400 + i
        t = start + d * 86400 + 25200 + i * 131
        printf "%s INFO invoice INV-%05d issued for order SO-%06d\n", stamp(t), n % 100000, 400000 + n
      }
    }
  }'
}
# Before last month's hardening invoiced ran as root, and logrotate rotated its log every night.
for n in 6 5 4 3 2; do
  ago=$((36 + n))
  days "$ago" "$ago" | gzip -9 >"$LOG.$n.gz"
  touch -d "$(date -d "-$((ago - 1)) days" +%Y-%m-%d) 00:00:03" "$LOG.$n.gz"
done
days 37 37 >"$LOG.1"
touch -d "$(date -d "-36 days" +%Y-%m-%d) 00:00:03" "$LOG.1"
chown root:adm "$LOG".*
chmod 640 "$LOG".*
# Since then: one file, 36 days long and growing.
days 36 1 >"$LOG"
chown invoiced:invoiced "$LOG"
chmod 640 "$LOG"
chown root:invoiced /var/log/invoiced
chmod 775 /var/log/invoiced
cat >/etc/logrotate.d/invoiced <<'CONF'
/var/log/invoiced/invoiced.log {
    daily
    rotate 14
    missingok
    notifempty
    compress
    delaycompress
    create 0640 root adm
}
CONF
cat >/etc/logrotate.d/reportgen <<'CONF'
/var/log/reportgen/reportgen.log {
    weekly
    rotate 4
    compress
}
CONF
mkdir -p /var/lib/logrotate
[ -s /var/lib/logrotate/status ] || echo 'logrotate state -- version 2' >/var/lib/logrotate/status
printf '"%s" %s\n' "$LOG" "$(date -d "-36 days" +%Y-%-m-%-d)-0:0:3" >>/var/lib/logrotate/status
cat >/etc/systemd/system/invoiced.service <<'UNIT'
[Unit]
Description=invoiced, the shop's invoicing service
After=network.target

[Service]
User=invoiced
Group=invoiced
ExecStart=/usr/bin/python3 /opt/invoiced/invoiced.py
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/invoiced.service /etc/systemd/system/multi-user.target.wants/invoiced.service
ln -sf /usr/lib/systemd/system/logrotate.timer /etc/systemd/system/timers.target.wants/logrotate.timer
systemctl daemon-reload
systemctl start invoiced.service logrotate.timer
# Last night's run.
systemctl start logrotate.service 2>/dev/null || true
# NOTE: setup ends with invoiced serving: a machine saved half-way through a python start does not recover.
for _ in $(seq 1 100); do curl -sf -o /dev/null http://127.0.0.1:8095/health && break; sleep 0.2; done
