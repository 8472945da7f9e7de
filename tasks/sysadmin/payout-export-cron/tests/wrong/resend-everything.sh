#!/usr/bin/env bash
# Wrong: every fault repaired, and the list of sent batches emptied "so the bank gets everything it may have missed"; the export then sends every batch again, and the bank pays the old ones twice.
set -euo pipefail
chmod 644 /etc/cron.d/payout-export
chmod 755 /usr/local/bin/payout-export
rm -f /var/spool/payouts/export.pid
sed -i 's|^PATH=.*|PATH=/usr/local/bin:/usr/bin:/bin|' /etc/cron.d/payout-export
: >/var/spool/payouts/sent.list
