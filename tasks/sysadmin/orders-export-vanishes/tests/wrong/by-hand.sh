#!/usr/bin/env bash
# Wrong: export the two lost nights by hand as exporter (outside the service's private /tmp) and upload them; the partner has them, but tomorrow's export still vanishes with the service's private /tmp.
set -euo pipefail
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-01
runuser -u exporter -- /usr/local/bin/export-orders 2026-12-02
runuser -u uploader -- /usr/local/bin/upload-orders
