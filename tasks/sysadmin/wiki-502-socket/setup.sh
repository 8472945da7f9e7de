#!/usr/bin/env bash
set -euo pipefail
chmod 755 /opt/wikid
chmod 644 /opt/wikid/wikid.py
useradd --system --home-dir /srv/wiki --no-create-home --shell /usr/sbin/nologin wikid
mkdir -p /etc/wikid /srv/wiki/pages
cat > /etc/wikid/wikid.ini <<'INI'
[wiki]
data_dir = /srv/wiki/pages
search_index = /var/cache/wikid/index.db

[server]
socket = /run/wikid/wikid.sock
socket_group = wikid
socket_mode = 0660
INI
cat > /srv/wiki/pages/index.md <<'MD'
# Team wiki

- [On-call runbook](runbook)
- [Network map](network-map)
MD
cat > /srv/wiki/pages/runbook.md <<'MD'
# On-call runbook

1. Acknowledge the page within 5 minutes.
2. Check the dashboards before restarting anything.
MD
printf '# Network map\n\ncore: 10.20.0.0/16, dmz: 192.0.2.0/24\n' > /srv/wiki/pages/network-map.md
printf '# DRAFT: 2027 reorganisation (HR only)\n\nNot for circulation.\n' > /srv/wiki/pages/draft-reorg-2027.md
# Restored from last night's backup, as root.
chown -R root:root /srv/wiki
chmod 700 /srv/wiki/pages
chmod 600 /srv/wiki/pages/*.md
cat > /etc/systemd/system/wikid.service <<'UNIT'
[Unit]
Description=wikid, the team wiki
After=network.target

[Service]
User=wikid
Group=wikid
RuntimeDirectory=wikid
RuntimeDirectoryMode=0700
ExecStart=/usr/bin/python3 /opt/wikid/wikid.py

[Install]
WantedBy=multi-user.target
UNIT
cat > /etc/nginx/sites-available/wiki <<'CONF'
server {
    listen 8090;
    server_name wiki.internal;

    location / {
        proxy_pass http://unix:/run/wikid/wikid.sock:;
        proxy_set_header Host $host;
    }
}
CONF
ln -s ../sites-available/wiki /etc/nginx/sites-enabled/wiki
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
ln -s /etc/systemd/system/wikid.service /etc/systemd/system/multi-user.target.wants/wikid.service
systemctl daemon-reload
systemctl reload-or-restart nginx
systemctl start wikid.service 2>/dev/null || true
curl -s -o /dev/null http://127.0.0.1:8090/ || true
