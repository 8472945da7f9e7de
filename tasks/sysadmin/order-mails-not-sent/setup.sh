#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/courier /usr/local/lib/courier /usr/local/bin/courier-send /usr/local/lib/courier/courier-digest
chmod 644 /opt/courier/courierd.py /usr/lib/tmpfiles.d/courier.conf
useradd --system --home-dir /var/spool/courier --no-create-home --shell /usr/sbin/nologin courier
useradd --create-home --shell /bin/bash --groups courier shop
install -d -o courier -g courier -m 750 /var/spool/courier /var/spool/courier/queue /var/lib/courier
# Last week's queue: mails deferred by the receiving servers, still retried.
for i in 1 2 3; do
  id="$(date -d "-$((i + 1)) days" +%Y%m%d)0312$i-$(head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '{"id": "%s", "to": "orders+%d@example.org", "subject": "Your order", "body": "..."}' "$id" "$i" \
    >"/var/spool/courier/queue/$id.json"
done
chown courier:courier /var/spool/courier/queue/*.json
chmod 640 /var/spool/courier/queue/*.json
printf '{"queued": 3, "last_id": null, "generated": "%s"}\n' "$(date -d '-1 day' -Is)" >/var/lib/courier/digest.json
chown courier:courier /var/lib/courier/digest.json
# The security baseline's change last week (runtime folders owned by root).
printf '# courier: runtime folder (baseline SEC-114)\nd /run/courier 0755 root root -\n' >/etc/tmpfiles.d/courier.conf
cat >/etc/systemd/system/courierd.service <<'UNIT'
[Unit]
Description=courierd, the shop's outgoing-mail queue
After=network.target

[Service]
User=courier
Group=courier
ExecStart=/usr/bin/python3 /opt/courier/courierd.py

[Install]
WantedBy=multi-user.target
UNIT
cat >/etc/systemd/system/courier-digest.service <<'UNIT'
[Unit]
Description=courier queue statistics for the dashboard
After=courierd.service

[Service]
Type=oneshot
User=courier
Group=courier
RuntimeDirectory=courier
ExecStart=/usr/local/lib/courier/courier-digest
UNIT
cat >/etc/systemd/system/courier-digest.timer <<'UNIT'
[Unit]
Description=courier queue statistics every quarter of an hour

[Timer]
OnCalendar=*:0/15

[Install]
WantedBy=timers.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/courierd.service /etc/systemd/system/multi-user.target.wants/courierd.service
mkdir -p /etc/systemd/system/timers.target.wants
ln -s /etc/systemd/system/courier-digest.timer /etc/systemd/system/timers.target.wants/courier-digest.timer
systemctl daemon-reload
# This morning's boot: /run is empty, tmpfiles makes what its configuration asks for, the units start.
rm -rf /run/courier
systemd-tmpfiles --create --prefix=/run/courier
systemctl start courier-digest.timer
systemctl start courierd.service || true
