#!/usr/bin/env bash
# Wrong: run the export by hand, as stock, into this hour's file name; the partner gets one file now, and cron still delivers nothing the next hour.
set -euo pipefail
runuser -u stock -- sh -c 'stock-export > /srv/partner-drop/outbox/stock-$(date +%Y%m%d-%H).csv'
