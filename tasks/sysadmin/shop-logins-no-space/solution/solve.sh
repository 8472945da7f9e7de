#!/usr/bin/env bash
# Two faults: the volume has run out of inodes, not of space (df -i); and the hourly clean-up has removed
# nothing since the move: its find starts at /var/lib/shopd/sessions, now a symbolic link, and find does
# not follow a starting point that is a link (it finds the link itself, not a file). Start it inside the
# folder instead (a trailing slash), then run it once to free the stale sessions.
set -euo pipefail
curl -s -X POST --data C-TEST-1 http://127.0.0.1:8077/login || true
journalctl -u shopd.service -n 3 --no-pager
df -h /srv/sessions
df -i /srv/sessions
systemctl list-timers shopd-session-gc.timer --no-pager
systemctl cat shopd-session-gc.service
journalctl -u shopd-session-gc.service -n 4 --no-pager
ls -ld /var/lib/shopd/sessions
find /var/lib/shopd/sessions -type f -mmin +1440 | wc -l
find /var/lib/shopd/sessions/ -type f -mmin +1440 | wc -l
mkdir -p /etc/systemd/system/shopd-session-gc.service.d
printf '[Service]\nExecStart=\nExecStart=/usr/bin/find /var/lib/shopd/sessions/ -type f -name %s -mmin +1440 -delete\n' "'sess_*'" \
  >/etc/systemd/system/shopd-session-gc.service.d/follow-link.conf
systemctl daemon-reload
systemctl start shopd-session-gc.service
df -i /srv/sessions
curl -s -X POST --data C-TEST-2 http://127.0.0.1:8077/login
