#!/usr/bin/env bash
# Wrong: take the default site out of sites-enabled; nginx starts, and the dashboard now answers for every name, localhost included.
set -euo pipefail
rm /etc/nginx/sites-enabled/default
systemctl restart nginx
