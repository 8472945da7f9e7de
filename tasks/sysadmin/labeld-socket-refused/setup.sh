#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/labeld /usr/local/bin/labeld-run
chmod 644 /opt/labeld/labeld.py
useradd --system --home-dir /var/spool/labeld --no-create-home --shell /usr/sbin/nologin labeld
install -d -m 750 -o labeld -g labeld /var/spool/labeld
printf '# The packing floor'"'"'s label printer (labeld-run reads this).\nLABEL_PRINTER=zebra-pack-2\n' >/etc/default/labeld
# Last week labeld moved to socket activation: it now runs only while the packing app prints.
cat >/etc/systemd/system/labeld.socket <<'UNIT'
[Unit]
Description=labeld's listening socket (label printing API, this machine only)

[Socket]
ListenStream=[::1]:9100
NoDelay=yes

[Install]
WantedBy=sockets.target
UNIT
cat >/etc/systemd/system/labeld.service <<'UNIT'
[Unit]
Description=labeld, the packing floor's label printing API
Requires=labeld.socket
After=labeld.socket

[Service]
User=labeld
Group=labeld
ExecStart=/usr/local/bin/labeld-run
UNIT
systemctl daemon-reload
