#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/shipd
chmod 644 /opt/shipd/shipd.py
useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin shipd
mkdir -p /etc/shipd /var/log/shipd
printf '# shipd settings (SIGHUP reloads them)\ncarrier=dhl-freight\n' > /etc/shipd/shipd.conf
mount -t tmpfs -o size=20m,mode=750 shipd-logs /var/log/shipd
mkdir /var/log/shipd/archive
# The audit trail: two archived months and the current file.
# month NAME SIZE PATH: a month of shipments, SIZE bytes or a line more.
month() {
  awk -v name="$1" -v size="$2" -v start="$(date -u -d "$1-01" +%s)" '
    function stamp(t,   days, secs, z, era, doe, yoe, y, doy, mp, d, m) {
      days = int(t / 86400); secs = t - days * 86400
      z = days + 719468; era = int(z / 146097); doe = z - era * 146097
      yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
      doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
      d = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9; y = yoe + era * 400 + (m <= 2)
      return sprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, int(secs / 3600), int(secs % 3600 / 60), secs % 60)
    }
    BEGIN {
      split("dhl-freight ups-ground dpd-parcel gls-euro", carrier, " ")
      step = int(28 * 86400 * 82 / size); tag = name; sub("-", "", tag)
      while (total < size) {
        n++
        line = sprintf("%s SHIP order=SO-%s-%06d carrier=%s by=10.20.%d.%d", stamp(start + n * step + (n * 7919) % step),
          tag, n, carrier[n * 5 % 4 + 1], n % 7, (n * 3) % 250 + 2)
        print line; total += length(line) + 1
      }
    }' >"$3"
}
month 2026-09 800000 /var/log/shipd/archive/audit-2026-09.log
month 2026-10 800000 /var/log/shipd/archive/audit-2026-10.log
# NOTE: 749325 bytes: with the three shipments below (81 bytes each) audit.log ends on a page boundary, so
# once the volume is full not one more shipment fits (tmpfs allocates whole pages).
month 2026-11 749325 /var/log/shipd/audit.log
chmod 440 /var/log/shipd/archive/*.log
chmod 640 /var/log/shipd/audit.log
chown -R shipd:adm /var/log/shipd
chown shipd:shipd /var/log/shipd
cat > /etc/logrotate.d/shipd <<'CONF'
/var/log/shipd/shipd.log {
    daily
    maxsize 5M
    rotate 7
    missingok
    notifempty
    compress
    create 0640 shipd adm
    postrotate
        systemctl kill --kill-whom=main --signal=HUP shipd.service >/dev/null 2>&1 || true
    endscript
}
CONF
cat > /etc/systemd/system/shipd.service <<'UNIT'
[Unit]
Description=shipd, the shipping API
After=network.target

[Service]
User=shipd
Group=adm
ExecStart=/usr/bin/python3 /opt/shipd/shipd.py
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/shipd.service /etc/systemd/system/multi-user.target.wants/shipd.service
ln -sf /usr/lib/systemd/system/logrotate.timer /etc/systemd/system/timers.target.wants/logrotate.timer
systemctl daemon-reload
systemctl start shipd.service
# Until shipd listens (it has opened its logs by then), with bash builtins only: a curl and a sleep started
# every 0.2 s take the VM's one CPU from shipd's own start-up, which then takes seconds longer.
exec {pause}<> <(:)
for _ in {1..100}; do
  (: </dev/tcp/127.0.0.1/8070) 2>/dev/null && break
  read -rt 0.2 -u "$pause" || true
done
exec {pause}>&-
for order in SO-202612-000101 SO-202612-000102 SO-202612-000103; do
  curl -s -o /dev/null -X POST --data "$order" http://127.0.0.1:8070/ship
done
# Yesterday's rotation: shipd.log renamed and a new one created; shipd was told to reload, not to reopen.
LOG=/var/log/shipd/shipd.log
{ yes "$(date -d yesterday +%Y-%m-%dT03:12:44) DEBUG heartbeat queue=0 workers=4 carrier-api=reachable" || true; } | head -c 4000000 >> "$LOG"
mv "$LOG" "$LOG.1"
install -o shipd -g adm -m 640 /dev/null "$LOG"
systemctl kill --kill-whom=main --signal=HUP shipd.service
mkdir -p /var/lib/logrotate
[ -s /var/lib/logrotate/status ] || echo 'logrotate state -- version 2' > /var/lib/logrotate/status
printf '"%s" %s\n' "$LOG" "$(date -d yesterday +%Y-%-m-%-d-3:12:44)" >> /var/lib/logrotate/status
# Then it grew until the volume was full, and someone deleted it to make room.
{ yes "$(date +%Y-%m-%dT06:40:09) DEBUG heartbeat queue=0 workers=4 carrier-api=reachable" || true; } >> "$LOG.1" 2>/dev/null || true
rm "$LOG.1"
chmod 664 /etc/logrotate.d/shipd
for order in SO-202612-000104 SO-202612-000105; do
  curl -s -o /dev/null -X POST --data "$order" http://127.0.0.1:8070/ship
done
systemctl start logrotate.timer
systemctl start logrotate.service 2>/dev/null || true
