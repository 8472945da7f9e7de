#!/usr/bin/env bash
# Wrong: move the export to a shared folder under /var/spool and deliver the lost nights by hand, without opening that folder to the service; under ProtectSystem=strict the nightly export fails: read-only file system.
set -euo pipefail
install -d -m 2770 -o exporter -g orders /var/spool/orders-export
sed -i 's|^EXPORT_DIR=.*|EXPORT_DIR=/var/spool/orders-export|' /etc/orders/export.conf
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-01
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-02
runuser -u uploader -- /usr/local/bin/upload-orders
