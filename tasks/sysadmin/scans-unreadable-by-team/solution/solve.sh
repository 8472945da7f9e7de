#!/usr/bin/env bash
# Three faults: the accounting baseline's prefix drop-in (acct-.service.d) gives every acct- service
# UMask=0077, so scan-inbox files each scan 0600 (and each folder 0700); the scans folder lost its setgid
# bit, so a month folder scan-inbox makes belongs to scanner's own group, not accounts; and December's
# folder and scans, made that way since the 1st, stay closed until fixed. Override the umask for
# scan-inbox alone with a drop-in that sorts after the baseline, put the setgid bit back, and repair
# December's folder and files.
set -euo pipefail
systemctl status acct-scanner.service --no-pager || true
ls -la /srv/share/scans /srv/share/scans/2026-11 /srv/share/scans/2026-12
id scanner
systemctl cat acct-scanner.service
mkdir -p /etc/systemd/system/acct-scanner.service.d
printf '[Service]\nUMask=0027\n' >/etc/systemd/system/acct-scanner.service.d/umask.conf
systemctl daemon-reload
systemctl show -p UMask acct-scanner.service
chmod 2770 /srv/share/scans
chgrp -R accounts /srv/share/scans/2026-12
chmod 2750 /srv/share/scans/2026-12
chmod 640 /srv/share/scans/2026-12/*.pdf
systemctl restart acct-scanner.service
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:8071/health >/dev/null && break; sleep 0.2; done
curl -s -X PUT --data-binary 'test' http://127.0.0.1:8071/scans/SCAN_20270101_000000.pdf
ls -la /srv/share/scans/2027-01
rm -r /srv/share/scans/2027-01
