#!/usr/bin/env bash
# Wrong: chmod -R 755 the pages instead of giving them to wikid, plus the socket fix; wikid starts and the wiki answers, but every account on the server can read the confidential drafts.
set -euo pipefail
chmod -R 755 /srv/wiki/pages
usermod -aG wikid www-data
mkdir -p /etc/systemd/system/wikid.service.d
printf '[Service]\nRuntimeDirectoryMode=0750\n' > /etc/systemd/system/wikid.service.d/socket-folder.conf
systemctl daemon-reload
systemctl reset-failed wikid.service
systemctl restart wikid.service
systemctl reload nginx
