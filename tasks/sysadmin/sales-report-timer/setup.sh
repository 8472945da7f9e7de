#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/reports /opt/reports/bin /opt/reports/etc /opt/reports/bin/sales-report
chmod 644 /opt/reports/etc/report.conf
groupadd managers
useradd --no-create-home --shell /bin/bash --groups managers mia
useradd --system --home-dir /var/lib/reports --shell /usr/sbin/nologin reports
mkdir -p /var/lib/reports /srv/reports/daily
# Two weeks of orders, a few a day in each region.
awk -v now="$(date +%s)" 'BEGIN {
  split("north south east west online", region, " ")
  for (d = 14; d >= 1; d--) {
    cmd = "date -d @" (now - d * 86400) " +%F"; cmd | getline day; close(cmd)
    for (i = 1; i <= 12; i++) printf "%s,%s,%d.%02d\n", day, region[(d * 3 + i) % 5 + 1], (d * 53 + i * 97) % 900 + 40, (d + i * 7) % 100
  }
}' >/var/lib/reports/sales.csv
chown -R reports:reports /var/lib/reports
chmod 750 /var/lib/reports
chown reports:managers /srv/reports/daily
chmod 2750 /srv/reports/daily
# The reports of the days before the move, as the job wrote them when it ran from cron.
awk -F, -v days="$(for d in 14 13 12 11 10 9 8 7; do date -d "-$d days" +%F; done | tr '\n' ' ')" '
  BEGIN { n = split(days, want, " "); for (i = 1; i <= n; i++) keep[want[i]] = 1 }
  keep[$1] { total[$1, $2] += $3; all[$1] += $3; count[$1]++ }
  END {
    split("east north online south west", region, " ")
    for (i = 1; i <= n; i++) {
      day = want[i]; file = "/srv/reports/daily/sales-" day ".txt"
      printf "Sales report for %s\n\n", day >file
      for (r = 1; r <= 5; r++) if ((day, region[r]) in total) printf "%-12s %12.2f\n", region[r], total[day, region[r]] >file
      printf "\n%-12s %12.2f (%d orders)\n", "TOTAL", all[day], count[day] >file
      close(file)
    }
  }' /var/lib/reports/sales.csv
chmod 640 /srv/reports/daily/sales-*.txt
chown reports:managers /srv/reports/daily/sales-*.txt
# The move of the share to the new disk (cp -r as root): owners, group and the setgid bit lost.
cp -r /srv/reports /srv/reports.new
rm -rf /srv/reports
mv /srv/reports.new /srv/reports
chmod 750 /srv/reports/daily
cat >/etc/systemd/system/sales-report.service <<'UNIT'
[Unit]
Description=Daily sales report for the managers

[Service]
Type=oneshot
User=reports
Group=reports
ExecStart=/opt/reports/bin/sales-report
UNIT
cat >/etc/systemd/system/sales-report.timer <<'UNIT'
[Unit]
Description=Daily sales report, 06:10

[Timer]
OnCalendar=*-*-* 06:10:00
Persistent=true

[Install]
WantedBy=timers.target
UNIT
systemctl daemon-reload
# The migration's test run.
systemctl start sales-report.service 2>/dev/null || true
