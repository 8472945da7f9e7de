#!/usr/bin/env bash
set -euo pipefail
mkdir -p /srv/dash
cat > /srv/dash/index.html <<'HTML'
<!doctype html><title>Ops dashboard</title><h1>Ops dashboard</h1><p>queue depth: 0</p>
HTML
chmod -R a+rX /srv/dash
cat > /etc/nginx/sites-available/dash <<'CONF'
server {
	listen 80 default_server;
	listen [::]:80 default_server;
	server_name dash.local;
	root /srv/dash;
	index index.html;
	location / {
		try_files $uri $uri/ =404;
	}
}
CONF
ln -s ../sites-available/dash /etc/nginx/sites-enabled/dash
printf '127.0.0.1\tdash.local\n' >> /etc/hosts
systemctl restart nginx 2>/dev/null || true
