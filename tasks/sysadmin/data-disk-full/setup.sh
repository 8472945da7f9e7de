#!/usr/bin/env bash
set -euo pipefail
chmod 755 /usr/local/bin/ingestd
mkdir -p /srv/data
mount -t tmpfs -o size=16m,mode=755 data /srv/data
mkdir -p /srv/data/uploads
for name in contract-2041 invoice-7731 scan-0098; do
  printf '%s\n' "customer document $name" > "/srv/data/uploads/$name.pdf"
done
cat > /etc/systemd/system/ingestd.service <<'UNIT'
[Unit]
Description=ingest daemon

[Service]
ExecStart=/usr/local/bin/ingestd
Restart=always

[Install]
WantedBy=multi-user.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/ingestd.service /etc/systemd/system/multi-user.target.wants/ingestd.service
systemctl daemon-reload
systemctl start ingestd.service
for _ in $(seq 1 100); do [ -s /srv/data/ingest.log ] && break; sleep 0.3; done
# Months of debug logging, then a clean-up that removed the file but not the space.
{ yes "2024-05-02T03:14:07 ingest: DEBUG poll queue=uploads batch=0 wait=5s" || true; } | head -c 15000000 >> /srv/data/ingest.log
rm /srv/data/ingest.log
