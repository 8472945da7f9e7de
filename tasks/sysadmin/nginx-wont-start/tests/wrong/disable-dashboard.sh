#!/usr/bin/env bash
# Wrong: take the new dashboard site out of sites-enabled; nginx starts again, without the dashboard.
set -euo pipefail
rm /etc/nginx/sites-enabled/dash
systemctl restart nginx
