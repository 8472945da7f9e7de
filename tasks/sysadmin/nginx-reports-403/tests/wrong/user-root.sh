#!/usr/bin/env bash
# Wrong: `user root;` in nginx.conf; the pages load, but every request is now served by root, who can read anything the web server is tricked into serving.
set -euo pipefail
sed -i 's/^user .*;/user root;/' /etc/nginx/nginx.conf
systemctl restart nginx
