#!/usr/bin/env bash
# Wrong: run the nightly backup from root's crontab; the snapshot no longer needs sudo, but the job now runs as root instead of dbbackup.
set -euo pipefail
rm /etc/cron.d/nightly-backup
printf 'PATH=/usr/local/bin:/usr/bin:/bin\n15 2 * * * /usr/local/bin/nightly-backup\n' | crontab -u root -
