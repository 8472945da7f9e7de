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
systemctl daemon-reload
systemctl enable --now ingestd.service 2>/dev/null
for _ in $(seq 1 30); do [ -s /srv/data/ingest.log ] && break; sleep 1; done
# Months of debug logging, then a clean-up that removed the file but not the space.
head -c 15000000 /dev/zero | tr '\0' 'x' >> /srv/data/ingest.log
rm /srv/data/ingest.log
