#!/usr/bin/env bash
# Wrong: drop default_server from the default site instead; nginx starts, but unknown names and localhost now get the dashboard.
set -euo pipefail
sed -i 's/ default_server//' /etc/nginx/sites-available/default
systemctl restart nginx
