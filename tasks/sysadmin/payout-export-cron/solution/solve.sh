#!/usr/bin/env bash
# Four faults, each behind the one before: cron ignores /etc/cron.d/payout-export (group-writable since
# Monday's deploy: "INSECURE MODE" in cron's journal); the script lost its execute bit; Monday's run left
# its pid file, and that pid now belongs to systemd-journald, so every run thinks an export is still going;
# and bank-seal moved to /usr/local/bin, which is not on the crontab's PATH (a run from root's shell finds
# it). Then send the waiting batches once, as payouts, the way cron will.
set -euo pipefail
tail -n 5 /var/log/payouts/export.log
cat /etc/cron.d/payout-export
journalctl -u cron.service --no-pager | grep -i payout | tail -n 3
ls -l /etc/cron.d/payout-export /usr/local/bin/payout-export /usr/local/bin/bank-seal
chmod 644 /etc/cron.d/payout-export
chmod 755 /usr/local/bin/payout-export
runuser -u payouts -- /usr/local/bin/payout-export || true
tail -n 1 /var/log/payouts/export.log
cat /var/spool/payouts/export.pid
ps -o pid,comm -p "$(cat /var/spool/payouts/export.pid)"
rm /var/spool/payouts/export.pid
# As cron runs it: cron's PATH from the crontab.
runuser -u payouts -- env -i SHELL=/bin/sh PATH=/usr/bin:/bin HOME=/var/spool/payouts LOGNAME=payouts /bin/sh -c /usr/local/bin/payout-export || true
tail -n 2 /var/log/payouts/export.log
command -v bank-seal
sed -i 's|^PATH=.*|PATH=/usr/local/bin:/usr/bin:/bin|' /etc/cron.d/payout-export
rm -f /srv/bankdrop/outgoing/*.part
runuser -u payouts -- env -i SHELL=/bin/sh PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/spool/payouts LOGNAME=payouts /bin/sh -c /usr/local/bin/payout-export
tail -n 6 /var/log/payouts/export.log
ls -l /srv/bankdrop/outgoing
