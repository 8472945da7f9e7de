#!/usr/bin/env bash
# Three faults, each hiding the next: labeld.socket was started by hand at the move but never enabled, so
# since the reboot nothing listens; it listens on [::1]:9100 only, where the packing app connects to
# 127.0.0.1:9100; and once a request reaches it, labeld refuses to run: the wrapper labeld-run starts
# python as its child instead of exec'ing it, so the socket systemd passes (LISTEN_PID: the wrapper's pid)
# is not labeld's, and the failed starts end in the socket's start limit. The fixes: enable the socket,
# listen on 127.0.0.1:9100 (loopback only: labeld has no authentication), exec in the wrapper.
set -euo pipefail
curl -s -m 5 http://127.0.0.1:9100/health || true
ss -ltnp
systemctl status labeld.socket labeld.service --no-pager || true
systemctl cat labeld.socket labeld.service
systemctl enable --now labeld.socket
ss -ltn 'sport = :9100'
sed -i 's/^ListenStream=\[::1\]:9100$/ListenStream=127.0.0.1:9100/' /etc/systemd/system/labeld.socket
systemctl daemon-reload
systemctl restart labeld.socket
ss -ltn 'sport = :9100'
curl -s -m 10 http://127.0.0.1:9100/health || true
journalctl -u labeld.service -u labeld.socket -n 15 --no-pager
cat /usr/local/bin/labeld-run
sed -i 's|^/usr/bin/python3 /opt/labeld/labeld.py|exec /usr/bin/python3 /opt/labeld/labeld.py|' /usr/local/bin/labeld-run
systemctl reset-failed labeld.service labeld.socket
systemctl restart labeld.socket
for _ in $(seq 1 30); do curl -sf -m 10 http://127.0.0.1:9100/health && break; sleep 1; done
curl -s -m 10 -X POST --data 'ORDER SO-4711' http://127.0.0.1:9100/print
ls -l /var/spool/labeld
