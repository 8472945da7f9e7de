#!/usr/bin/env bash
# Three faults: yesterday's rotation left shipd writing into the renamed file, which someone then deleted
# (shipd still holds it: the space is not freed); logrotate's postrotate sends SIGHUP (reload the
# configuration) where shipd reopens its logs on SIGUSR1; and logrotate now ignores the group-writable
# /etc/logrotate.d/shipd. Fix the rotation, then restart shipd to let go of the deleted file.
set -euo pipefail
curl -s -X POST --data SO-TEST-1 http://127.0.0.1:8070/ship || true
journalctl -u shipd.service -n 5 --no-pager || true
df -h /var/log/shipd
du -ah /var/log/shipd
lsof -nP +L1 /var/log/shipd || true
journalctl -u logrotate.service -n 10 --no-pager || true
ls -l /etc/logrotate.d/shipd
head -8 /opt/shipd/shipd.py
chmod 644 /etc/logrotate.d/shipd
sed -i 's/--signal=HUP/--signal=USR1/' /etc/logrotate.d/shipd
logrotate -d /etc/logrotate.conf 2>&1 | grep -A3 'shipd.log' || true
systemctl restart shipd.service
# shipd needs a few seconds to start (and to set its signal handlers: a SIGUSR1 before that kills it).
curl -s --retry 30 --retry-connrefused --retry-delay 1 http://127.0.0.1:8070/health
df -h /var/log/shipd
logrotate -f /etc/logrotate.d/shipd
lsof -nP +L1 /var/log/shipd || true
curl -s --retry 10 --retry-connrefused --retry-delay 1 -X POST --data SO-TEST-2 http://127.0.0.1:8070/ship
