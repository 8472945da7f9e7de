#!/usr/bin/env bash
# Wrong: escape the % signs and stop; the command would be right, but the file still lacks its final newline, so cron still ignores it.
set -euo pipefail
sed -i '/stock-export >/ s/%/\\%/g' /etc/cron.d/stock-export
