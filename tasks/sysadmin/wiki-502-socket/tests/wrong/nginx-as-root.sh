#!/usr/bin/env bash
# Wrong: give the pages back to wikid and run nginx's workers as root so they can open the socket; the wiki answers, but every request is now served with root's rights.
set -euo pipefail
chown -R wikid:wikid /srv/wiki/pages
systemctl reset-failed wikid.service
systemctl restart wikid.service
sed -i 's/^user .*;/user root;/' /etc/nginx/nginx.conf
systemctl restart nginx
