#!/usr/bin/env bash
# Three faults behind one symptom: the security baseline's drop-in (zz-hardening.conf) is read after the
# on-call's override.conf, so its LimitNOFILE=1024 wins (indexd holds 1100 segments open); with more files
# allowed, its ProtectSystem=strict leaves /var/lib/indexd read-only, where indexd records its generation;
# and the nightly check, a cron job, gets the baseline's PAM limit (* hard nofile 1024). A later drop-in
# for indexd and a limits.d entry for the indexd account alone leave the baseline in force.
set -euo pipefail
systemctl status indexd.service --no-pager || true
journalctl -u indexd.service -n 8 --no-pager
systemctl cat indexd.service
systemctl show indexd.service -p LimitNOFILE -p DropInPaths
ls /var/lib/indexd/segments | wc -l
printf '[Service]\nLimitNOFILE=8192\n' >/etc/systemd/system/indexd.service.d/zzz-indexd.conf
systemctl daemon-reload
systemctl reset-failed indexd.service
systemctl restart indexd.service
sleep 6
journalctl -u indexd.service -n 3 --no-pager
printf '[Service]\nLimitNOFILE=8192\nReadWritePaths=/var/lib/indexd\n' >/etc/systemd/system/indexd.service.d/zzz-indexd.conf
systemctl daemon-reload
systemctl reset-failed indexd.service
systemctl restart indexd.service
curl -s --retry 30 --retry-connrefused --retry-delay 1 http://127.0.0.1:8095/health
tail -n 2 /var/log/indexd/verify.log
cat /etc/security/limits.d/90-sec-baseline.conf
printf 'indexd soft nofile 8192\nindexd hard nofile 8192\n' >/etc/security/limits.d/91-indexd.conf
runuser -u indexd -- /usr/local/bin/indexd-verify
tail -n 1 /var/log/indexd/verify.log
curl -s 'http://127.0.0.1:8095/search?q=widget'
