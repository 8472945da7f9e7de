#!/usr/bin/env bash
# Three faults: the hardening's PrivateTmp=yes gives the export a /tmp of its own, removed when the
# service stops, so the file it writes to /tmp/exports never reaches the upload job (/var/tmp is private
# too); a shared folder elsewhere is read-only to it under ProtectSystem=strict until ReadWritePaths=
# opens it (and it must exist before the service starts); and the export chgrps and chmods its folder,
# so the folder must be the exporter's own (one made by root fails: Operation not permitted). Then export
# and upload the two lost nights (December 1st by hand, as exporter: the service exports yesterday only).
set -euo pipefail
systemctl cat export-orders.service
journalctl -u export-orders.service -n 5 --no-pager
tail -n 3 /var/log/orders/upload.log
cat /etc/orders/export.conf /usr/local/bin/export-orders /usr/local/bin/upload-orders
install -d -m 2770 -o exporter -g orders /var/spool/orders-export
sed -i 's|^EXPORT_DIR=.*|EXPORT_DIR=/var/spool/orders-export|' /etc/orders/export.conf
printf '[Service]\nReadWritePaths=/var/spool/orders-export\n' >/etc/systemd/system/export-orders.service.d/export-dir.conf
systemctl daemon-reload
systemctl start export-orders.service
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-01
runuser -u uploader -- /usr/local/bin/upload-orders
ls -l /srv/partner-drop/inbox
tail -n 1 /var/log/orders/upload.log
