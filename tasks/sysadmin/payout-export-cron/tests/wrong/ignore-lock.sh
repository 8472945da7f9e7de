#!/usr/bin/env bash
# Wrong: repair the crontab's mode and PATH and the execute bit, and make the script take over any lock it finds instead of removing the stale one; tonight works, but two exports started together now both send the same batch, and the bank pays it twice.
set -euo pipefail
chmod 644 /etc/cron.d/payout-export
chmod 755 /usr/local/bin/payout-export
sed -i 's|^PATH=.*|PATH=/usr/local/bin:/usr/bin:/bin|' /etc/cron.d/payout-export
sed -i 's|\[ -d "/proc/\$pid" \]|false|' /usr/local/bin/payout-export
