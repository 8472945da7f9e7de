#!/usr/bin/env bash
# Wrong: chmod -R 777 the reports folder; the pages load, but the signing key is world-readable and every report writable.
set -euo pipefail
chmod -R 777 /srv/reports
