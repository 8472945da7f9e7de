#!/usr/bin/env bash
# Wrong: a shared folder opened to the service (ReadWritePaths=) but made by root, and the lost nights exported as root; the export chgrps and chmods its folder, so the nightly run as exporter fails: Operation not permitted.
set -euo pipefail
install -d -m 2770 -g orders /var/spool/orders-export
sed -i 's|^EXPORT_DIR=.*|EXPORT_DIR=/var/spool/orders-export|' /etc/orders/export.conf
printf '[Service]\nReadWritePaths=/var/spool/orders-export\n' >/etc/systemd/system/export-orders.service.d/export-dir.conf
systemctl daemon-reload
/usr/local/bin/export-orders 2026-12-01
/usr/local/bin/export-orders 2026-12-02
runuser -u uploader -- /usr/local/bin/upload-orders
