#!/usr/bin/env bash
# Wrong: the right socket fix (www-data in wikid's group, the folder open to the group), but the pages handed to wikid's group as they usually are (0750/0640); through that group the web server's account can now read the confidential drafts.
set -euo pipefail
chown -R wikid:wikid /srv/wiki/pages
chmod 750 /srv/wiki/pages
chmod 640 /srv/wiki/pages/*.md
usermod -aG wikid www-data
mkdir -p /etc/systemd/system/wikid.service.d
printf '[Service]\nRuntimeDirectoryMode=0750\n' > /etc/systemd/system/wikid.service.d/socket-folder.conf
systemctl daemon-reload
systemctl reset-failed wikid.service
systemctl restart wikid.service
systemctl reload nginx
