#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/scan-inbox
chmod 644 /opt/scan-inbox/scan-inbox.py
groupadd accounts
for user in alice bob; do useradd --create-home --shell /bin/bash --groups accounts "$user"; done
useradd --create-home --shell /bin/bash carol
useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin --groups accounts scanner
mkdir -p /srv/share/scans
cat >/usr/local/bin/acct-reminders <<'SH'
#!/bin/sh
# Sends the payment reminders that fell due today (run daily by acct-reminders.timer).
set -eu
exec /usr/bin/curl -fsS --max-time 30 -X POST http://127.0.0.1:8073/reminders/send-due
SH
chmod 755 /usr/local/bin/acct-reminders
cat >/etc/systemd/system/acct-reminders.service <<'UNIT'
[Unit]
Description=Payment reminders due today

[Service]
Type=oneshot
User=nobody
ExecStart=/usr/local/bin/acct-reminders
UNIT
cat >/etc/systemd/system/acct-scanner.service <<'UNIT'
[Unit]
Description=scan-inbox, files the office scanners' uploads for accounting
After=network.target

[Service]
User=scanner
Group=scanner
Environment=SCAN_ROOT=/srv/share/scans SCAN_PORT=8071
ExecStart=/usr/bin/python3 /opt/scan-inbox/scan-inbox.py
ReadWritePaths=/srv/share/scans
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
mkdir -p /etc/systemd/system/acct-.service.d
cat >/etc/systemd/system/acct-.service.d/10-baseline.conf <<'UNIT'
# Security baseline SEC-112 for the accounting services (acct-*), rolled out 2026-11-30.
[Service]
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=yes
ProtectKernelTunables=yes
ProtectControlGroups=yes
UMask=0077
UNIT
touch -d '2026-11-30 16:42' /etc/systemd/system/acct-.service.d/10-baseline.conf /etc/systemd/system/acct-.service.d
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/acct-scanner.service /etc/systemd/system/multi-user.target.wants/acct-scanner.service
systemctl daemon-reload
systemctl start --no-block acct-scanner.service
# scan NAME: what the scanners sent for NAME.
scan() { printf '%%PDF-1.4\n%% scanned invoice %s\n1 0 obj << /Type /Catalog >> endobj\n%%%%EOF\n' "$1"; }
mkdir -p /srv/share/scans/2026-11 /srv/share/scans/2026-12
for day in 02 03 05 09 11 16 19 23 25 27; do
  printf -v time '%02d%02d12' $((10#$day % 7 + 8)) $((10#$day * 7 % 50 + 10))
  name="SCAN_202611${day}_$time.pdf"
  scan "$name" >"/srv/share/scans/2026-11/$name"
  touch -d "2026-11-$day ${time:0:2}:${time:2:2}:12" "/srv/share/scans/2026-11/$name"
done
for day in 01 02 03; do
  for hour in 09 14; do
    name="SCAN_202612${day}_${hour}$((10#$day * 13 % 50 + 10))07.pdf"
    scan "$name" >"/srv/share/scans/2026-12/$name"
    touch -d "2026-12-$day $hour:$((10#$day * 13 % 50 + 10)):07" "/srv/share/scans/2026-12/$name"
  done
done
chown -R scanner:accounts /srv/share/scans/2026-11
chmod 2750 /srv/share/scans/2026-11
chmod 640 /srv/share/scans/2026-11/*.pdf
chown -R scanner:scanner /srv/share/scans/2026-12
chmod 700 /srv/share/scans/2026-12
chmod 600 /srv/share/scans/2026-12/*.pdf
chown root:accounts /srv/share/scans
chmod 0770 /srv/share/scans
touch -d '2026-12-01 09:23:07' /srv/share/scans/2026-12
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/8071) 2>/dev/null && break; sleep 0.2; done
