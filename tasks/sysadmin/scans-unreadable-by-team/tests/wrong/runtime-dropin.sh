#!/usr/bin/env bash
# Wrong: every fault repaired, but the umask override written under /run (systemctl edit --runtime); it holds until the next boot, then scans come out 0600 again.
set -euo pipefail
mkdir -p /run/systemd/system/acct-scanner.service.d
printf '[Service]\nUMask=0027\n' >/run/systemd/system/acct-scanner.service.d/umask.conf
systemctl daemon-reload
chmod 2770 /srv/share/scans
chgrp -R accounts /srv/share/scans/2026-12
chmod 2750 /srv/share/scans/2026-12
chmod 640 /srv/share/scans/2026-12/*.pdf
systemctl restart acct-scanner.service
