#!/usr/bin/env bash
# Wrong: schedule the export in root's crontab with a full PATH instead of repairing /etc/cron.d/payout-export; it runs, but as root rather than the payouts account.
set -euo pipefail
chmod 755 /usr/local/bin/payout-export
rm -f /var/spool/payouts/export.pid
printf 'PATH=/usr/local/bin:/usr/bin:/bin\n30 1 * * * /usr/local/bin/payout-export\n' | crontab -u root -
