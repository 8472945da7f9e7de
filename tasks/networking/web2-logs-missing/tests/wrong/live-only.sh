#!/usr/bin/env bash
# Wrong: fixes web2's site (in its file), but adds web2 to the collector's senders with a live command only; the logs arrive until loghost reboots.
set -euo pipefail
sed -i 's#^    access_log /var/log/nginx/shop-access.log main;$#&\n    access_log syslog:server=10.0.2.20:514,facility=local7,tag=nginx,severity=info main;#' /etc/netns/web2/nginx/sites-enabled/shop
systemctl restart web2-nginx
on loghost nft add element inet filter log_senders '{ 10.0.2.12 }'
