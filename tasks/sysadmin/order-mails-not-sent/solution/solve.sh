#!/usr/bin/env bash
# Two faults, one behind the other: the security baseline's /etc/tmpfiles.d/courier.conf (which replaces
# the package's file of the same name) makes /run/courier root's 0755 at boot, so courierd (the courier
# account) cannot create its socket; and courier-digest.service declares RuntimeDirectory=courier, so each
# time the quarter-hourly digest finishes, systemd deletes /run/courier with courierd's socket in it (the
# outages that a restart of courierd ended). The folder goes back to the courier account in the override;
# the digest keeps its lock in the folder without owning it (a drop-in resets RuntimeDirectory=).
set -euo pipefail
systemctl status courierd.service --no-pager || true
journalctl -b -u courierd.service --no-pager | tail -n 5
ls -ld /run/courier
systemd-tmpfiles --cat-config 2>/dev/null | grep -n -B2 courier
printf '# courier: runtime folder (baseline SEC-114: not open to other accounts)\nd /run/courier 0750 courier courier -\n' \
  >/etc/tmpfiles.d/courier.conf
systemd-tmpfiles --create --prefix=/run/courier
systemctl restart courierd.service
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S /run/courier/courierd.sock ] && break; sleep 1; done
echo 'test' | runuser -u shop -- courier-send ops@example.org 'courier test'
systemctl list-timers courier-digest.timer --no-pager
systemctl cat courier-digest.service
mkdir -p /etc/systemd/system/courier-digest.service.d
printf '[Service]\nRuntimeDirectory=\n' >/etc/systemd/system/courier-digest.service.d/shared-run.conf
systemctl daemon-reload
systemctl start courier-digest.service
ls -l /run/courier
echo 'test' | runuser -u shop -- courier-send ops@example.org 'courier test after the digest'
