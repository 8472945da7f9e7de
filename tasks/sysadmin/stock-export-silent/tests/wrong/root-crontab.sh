#!/usr/bin/env bash
# Wrong: schedule the export in root's crontab, % escaped, instead of repairing /etc/cron.d/stock-export; it runs, as root, and its files are root's.
set -euo pipefail
rm /etc/cron.d/stock-export
printf 'PATH=/usr/local/bin:/usr/bin:/bin\n0 * * * * stock-export > /srv/partner-drop/outbox/stock-$(date +\\%%Y\\%%m\\%%d-\\%%H).csv\n' | crontab -u root -
