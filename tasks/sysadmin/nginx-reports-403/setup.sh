#!/usr/bin/env bash
set -euo pipefail
umask 077
mkdir -p /srv/reports/q3
cat > /srv/reports/index.html <<'HTML'
<!doctype html><title>Reports</title><h1>Quarterly reports</h1><a href="q3/summary.csv">Q3</a>
HTML
printf 'region,revenue\nnorth,4200\nsouth,3900\n' > /srv/reports/q3/summary.csv
head -c 48 /dev/urandom | base64 > /srv/reports/.signing.key
chown -R root:root /srv/reports
cat > /etc/nginx/sites-available/reports <<'CONF'
server {
    listen 8080;
    server_name reports.local;
    root /srv/reports;
    index index.html;
    location ~ /\. {
        deny all;
    }
}
CONF
ln -sf ../sites-available/reports /etc/nginx/sites-enabled/reports
systemctl restart nginx
