#!/usr/bin/env bash
# Two faults from last month's hardening, which moved invoiced from root to its own account and gave it
# its log folder's group: logrotate refuses to rotate in a folder that a group other than root can write
# ("parent directory has insecure permissions ... Set su directive"), so the rotation stopped (the
# reportgen error beside it is noise: logrotate goes on after it); and once it rotates again, its create
# line still makes the new log root's, which invoiced (no longer root) cannot write to. The old rotated
# files are root's: logrotate must stay root to compress them, in the folder's group.
set -euo pipefail
systemctl status logrotate.service --no-pager || true
journalctl -u logrotate.service -n 20 --no-pager
cat /etc/logrotate.d/invoiced
ls -la /var/log/invoiced
systemctl show -p User -p Group invoiced.service
sed -i -e 's/^    create 0640 root adm$/    create 0640 invoiced adm/' \
  -e '/^    daily$/a\    su root invoiced' /etc/logrotate.d/invoiced
cat /etc/logrotate.d/invoiced
logrotate -d /etc/logrotate.d/invoiced 2>&1 | tail -n 15
logrotate /etc/logrotate.conf || true
ls -la /var/log/invoiced
curl -s --retry 20 --retry-connrefused --retry-delay 1 -X POST --data SO-TEST-1 http://127.0.0.1:8095/invoice
tail -n 2 /var/log/invoiced/invoiced.log
journalctl -u invoiced.service -n 5 --no-pager
