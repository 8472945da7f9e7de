#!/usr/bin/env bash
# Wrong: open the whole share to everyone (chmod -R 755) and give scan-inbox a 0022 umask; the team reads every scan, and so does every other account on the server.
set -euo pipefail
chmod -R u+rwX,go+rX /srv/share/scans
mkdir -p /etc/systemd/system/acct-scanner.service.d
printf '[Service]\nUMask=0022\n' >/etc/systemd/system/acct-scanner.service.d/umask.conf
systemctl daemon-reload
systemctl restart acct-scanner.service
