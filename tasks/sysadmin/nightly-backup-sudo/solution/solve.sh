#!/usr/bin/env bash
# Two faults, the second behind the first: the baseline's `Defaults requiretty` stops the cron job (no
# terminal) before anything else; exempt dbbackup alone. Then "a password is required": dbbackup is in
# the backup group, and the baseline's %backup rule, read after 50-dbbackup, also matches snapshot-db;
# sudo uses the last rule that matches, so the NOPASSWD rule must come after it (a file named to sort
# after the baseline).
set -euo pipefail
tail -n 6 /var/log/dbbackup/nightly.log
cat /etc/cron.d/nightly-backup
ls -l /etc/sudoers.d
cat /etc/sudoers.d/50-dbbackup /etc/sudoers.d/90-security-baseline
printf '# The nightly backup (cron, as dbbackup) runs without a terminal.\nDefaults:dbbackup !requiretty\n' >>/etc/sudoers.d/50-dbbackup
visudo -c
setsid runuser -u dbbackup -- sudo -n /usr/local/sbin/snapshot-db || true
id dbbackup
sudo -l -U dbbackup || true
mv /etc/sudoers.d/50-dbbackup /etc/sudoers.d/95-dbbackup
visudo -c
sudo -l -U dbbackup || true
sudo -l -U nora || true
runuser -u dbbackup -- env -i SHELL=/bin/sh PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/lib/dbbackup LOGNAME=dbbackup setsid -w /bin/sh -c /usr/local/bin/nightly-backup
tail -n 4 /var/log/dbbackup/nightly.log
