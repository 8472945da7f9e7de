#!/usr/bin/env bash
# Wrong: give the pages back to wikid and run nginx's workers as the wikid account, which owns the socket's folder; the wiki answers, and the web server can now read the confidential drafts.
set -euo pipefail
chown -R wikid:wikid /srv/wiki/pages
systemctl reset-failed wikid.service
systemctl restart wikid.service
sed -i 's/^user .*;/user wikid;/' /etc/nginx/nginx.conf
systemctl restart nginx
