#!/usr/bin/env bash
# Both sites claim to be port 80's default server: the dashboard is a name-based site, not the default.
set -euo pipefail
nginx -t || true
sed -i 's/ default_server;/;/' /etc/nginx/sites-available/dash
nginx -t
systemctl restart nginx
