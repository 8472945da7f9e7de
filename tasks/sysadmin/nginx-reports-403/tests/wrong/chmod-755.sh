#!/usr/bin/env bash
# Wrong: chmod -R 755 the reports folder; the pages load, but the signing key is readable by everyone.
set -euo pipefail
chmod -R 755 /srv/reports
