#!/usr/bin/env bash
# Wrong: move the export to a shared folder under /var/spool and relax ProtectSystem to full so the service may write there; the files flow, but the hardening is weakened.
set -euo pipefail
install -d -m 2770 -o exporter -g orders /var/spool/orders-export
sed -i 's|^EXPORT_DIR=.*|EXPORT_DIR=/var/spool/orders-export|' /etc/orders/export.conf
printf '[Service]\nProtectSystem=full\n' >/etc/systemd/system/export-orders.service.d/zz-system.conf
systemctl daemon-reload
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-01
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-02
runuser -u uploader -- /usr/local/bin/upload-orders
