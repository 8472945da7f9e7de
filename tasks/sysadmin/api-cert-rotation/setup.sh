#!/usr/bin/env bash
set -euo pipefail
chmod 700 /root/pki /root/pki/root-ca/private /root/pki/issuing-ca/private
chmod 600 /root/pki/root-ca/private/root-ca.key /root/pki/issuing-ca/private/issuing-ca.key
chmod 644 /root/pki/extensions.cnf /root/pki/root-ca/root-ca.crt /root/pki/issuing-ca/issuing-ca.crt
chmod 755 /usr/local/bin/inventory-sync /etc/nginx/tls /etc/ssl/northwind
chmod 644 /etc/ssl/northwind/root-ca.crt /etc/nginx/tls/api.internal.fullchain.pem /etc/nginx/tls/api.internal.key
echo "127.0.0.1 api.internal" >> /etc/hosts
mkdir -p /srv/api/v1
cat > /srv/api/v1/inventory <<'JSON'
{"site": "northwind-dc1", "hosts": [
  {"name": "db1", "role": "postgres", "rack": "A3"},
  {"name": "db2", "role": "postgres", "rack": "B1"},
  {"name": "web1", "role": "nginx", "rack": "A1"},
  {"name": "web2", "role": "nginx", "rack": "B2"},
  {"name": "queue1", "role": "rabbitmq", "rack": "A2"}
]}
JSON
chmod -R a+rX /srv/api
cat > /etc/nginx/sites-available/api.internal <<'CONF'
server {
    listen 8443 ssl;
    server_name api.internal;

    ssl_certificate     /etc/nginx/tls/api.internal.fullchain.pem;
    ssl_certificate_key /etc/nginx/tls/api.internal.key;

    root /srv/api;
    default_type application/json;
    location /v1/ {
        try_files $uri =404;
    }
    location / {
        return 404;
    }
}
CONF
ln -s ../sites-available/api.internal /etc/nginx/sites-enabled/api.internal
useradd --system --home-dir /var/lib/inventory --shell /usr/sbin/nologin inventory
mkdir -p /var/lib/inventory
printf '{"site": "northwind-dc1", "hosts": []}\n' > /var/lib/inventory/inventory.json
touch -d '2026-11-29 06:55' /var/lib/inventory/inventory.json
chown -R inventory:inventory /var/lib/inventory
cat > /etc/systemd/system/inventory-sync.service <<'UNIT'
[Unit]
Description=Fetch the inventory from api.internal
After=network-online.target nginx.service

[Service]
Type=oneshot
User=inventory
Group=inventory
ExecStart=/usr/local/bin/inventory-sync
UNIT
cat > /etc/systemd/system/inventory-sync.timer <<'UNIT'
[Unit]
Description=Fetch the inventory from api.internal every 5 minutes

[Timer]
OnBootSec=1min
OnUnitActiveSec=5min

[Install]
WantedBy=timers.target
UNIT
# Enabled by hand: one daemon-reload instead of two (each takes seconds in this VM).
mkdir -p /etc/systemd/system/timers.target.wants
ln -s /etc/systemd/system/inventory-sync.timer /etc/systemd/system/timers.target.wants/inventory-sync.timer
systemctl daemon-reload
systemctl reload-or-restart nginx
systemctl start inventory-sync.timer
