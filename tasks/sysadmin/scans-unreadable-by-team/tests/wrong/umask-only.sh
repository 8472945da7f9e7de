#!/usr/bin/env bash
# Wrong: override the umask for scan-inbox and repair December's folder, but leave the scans folder without its setgid bit; next month's folder is made in scanner's own group and the team cannot enter it.
set -euo pipefail
mkdir -p /etc/systemd/system/acct-scanner.service.d
printf '[Service]\nUMask=0027\n' >/etc/systemd/system/acct-scanner.service.d/umask.conf
systemctl daemon-reload
chgrp -R accounts /srv/share/scans/2026-12
chmod 2750 /srv/share/scans/2026-12
chmod 640 /srv/share/scans/2026-12/*.pdf
systemctl restart acct-scanner.service
