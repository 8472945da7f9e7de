#!/usr/bin/env bash
# Let nginx's worker (www-data) traverse the folders and read the pages; the key stays root's.
set -euo pipefail
find /srv/reports -type d -exec chmod 755 {} +
find /srv/reports -type f ! -name .signing.key -exec chmod 644 {} +
chmod 600 /srv/reports/.signing.key
