#!/usr/bin/env bash
# Wrong: delete UMask=0077 from the accounting baseline instead of overriding it for scan-inbox, and repair the folders; the scans open, but every other accounting service loses the baseline's umask.
set -euo pipefail
sed -i '/^UMask=/d' /etc/systemd/system/acct-.service.d/10-baseline.conf
chmod 2770 /srv/share/scans
chgrp -R accounts /srv/share/scans/2026-12
chmod 2750 /srv/share/scans/2026-12
chmod 640 /srv/share/scans/2026-12/*.pdf
systemctl daemon-reload
systemctl restart acct-scanner.service
