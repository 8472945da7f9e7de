#!/usr/bin/env bash
# Wrong: every fault repaired, and the key tightened to 0600 as the old bank-seal's warning in the export log suggests; the key is now root's alone, so the export, which runs as payouts, cannot seal any batch.
set -euo pipefail
chmod 644 /etc/cron.d/payout-export
chmod 755 /usr/local/bin/payout-export
rm -f /var/spool/payouts/export.pid
sed -i 's|^PATH=.*|PATH=/usr/local/bin:/usr/bin:/bin|' /etc/cron.d/payout-export
chmod 600 /etc/payouts/bank.key
