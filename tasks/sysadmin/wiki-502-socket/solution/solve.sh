#!/usr/bin/env bash
# Three faults, each behind the one before: the restore left the pages root's (wikid dies on start:
# it cannot list them); the socket's group is wikid's, which nginx's www-data is not in; and the runtime
# folder holding the socket is private to wikid (0700). Give the pages back to wikid (still private to
# it), put www-data in wikid's group and open the runtime folder to that group, with a drop-in.
set -euo pipefail
systemctl status wikid.service --no-pager || true
journalctl -u wikid.service -n 20 --no-pager || true
ls -la /srv/wiki/pages
chown -R wikid:wikid /srv/wiki/pages
systemctl reset-failed wikid.service
systemctl restart wikid.service
sleep 1
curl -s -o /dev/null -w '%{http_code}\n' http://127.0.0.1:8090/
tail -n 2 /var/log/nginx/error.log
ls -la /run/wikid
usermod -aG wikid www-data
mkdir -p /etc/systemd/system/wikid.service.d
printf '[Service]\nRuntimeDirectoryMode=0750\n' > /etc/systemd/system/wikid.service.d/socket-folder.conf
systemctl daemon-reload
systemctl restart wikid.service
systemctl reload nginx
for _ in $(seq 1 20); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8090/)" = 200 ] && break; sleep 0.5; done
curl -s http://127.0.0.1:8090/runbook
