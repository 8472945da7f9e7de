#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/shopd
chmod 644 /opt/shopd/shopd.py
useradd --system --home-dir /var/lib/shopd --create-home --shell /usr/sbin/nologin shopd
# Last week the sessions moved to a volume of their own, linked from where shopd keeps them.
mkdir -p /srv/sessions
mount -t tmpfs -o size=64m,nr_inodes=1200,mode=0750 shop-sessions /srv/sessions
chown shopd:shopd /srv/sessions
ln -s /srv/sessions /var/lib/shopd/sessions
# The customers' sessions: the last day's (still logged in), and the older ones nobody removed since the move.
python3 -I -S - <<'PY'
import os, pwd, random, time
shopd = pwd.getpwnam("shopd")
os.setgroups([])
os.setgid(shopd.pw_gid)
os.setuid(shopd.pw_uid)
random.seed(4686)
now = time.time()
os.chdir("/srv/sessions")
def session(age, i):
    name = "sess_%032x" % random.getrandbits(128)
    with open(name, "x") as f:
        f.write("C-%06d\n" % (100000 + i))
    os.utime(name, (now - age, now - age))
    return name
for i in range(240):
    session(random.uniform(60, 22 * 3600), i)
i = 240
try:
    while True:
        session(random.uniform(25 * 3600, 8 * 86400), i)
        i += 1
except OSError:
    pass
PY
cat >/etc/systemd/system/shopd.service <<'UNIT'
[Unit]
Description=shopd, the shop's login service
After=network.target

[Service]
User=shopd
Group=shopd
ExecStart=/usr/bin/python3 /opt/shopd/shopd.py
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
cat >/etc/systemd/system/shopd-session-gc.service <<'UNIT'
[Unit]
Description=Remove shopd's sessions idle for more than a day

[Service]
Type=oneshot
User=shopd
Group=shopd
ExecStart=/usr/bin/find /var/lib/shopd/sessions -type f -name 'sess_*' -mmin +1440 -delete
UNIT
cat >/etc/systemd/system/shopd-session-gc.timer <<'UNIT'
[Unit]
Description=Hourly removal of shopd's idle sessions

[Timer]
OnCalendar=hourly
Persistent=true

[Install]
WantedBy=timers.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/shopd.service /etc/systemd/system/multi-user.target.wants/shopd.service
ln -s /etc/systemd/system/shopd-session-gc.timer /etc/systemd/system/timers.target.wants/shopd-session-gc.timer
systemctl daemon-reload
systemctl start shopd.service shopd-session-gc.timer
systemctl start shopd-session-gc.service
# NOTE: setup ends with shopd serving: a machine saved half-way through a python start does not recover.
for _ in $(seq 1 100); do curl -sf -o /dev/null http://127.0.0.1:8077/health && break; sleep 0.2; done
for customer in C-204417 C-204418; do curl -s -o /dev/null -X POST --data "$customer" http://127.0.0.1:8077/login || true; done
