#!/usr/bin/env bash
# Wrong: move the export to /var/tmp/exports, "which survives", and deliver the lost nights by hand; PrivateTmp= makes /var/tmp private to the service too, so the nightly file still never reaches the upload job.
set -euo pipefail
sed -i 's|^EXPORT_DIR=.*|EXPORT_DIR=/var/tmp/exports|' /etc/orders/export.conf
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-01
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-02
runuser -u uploader -- /usr/local/bin/upload-orders
