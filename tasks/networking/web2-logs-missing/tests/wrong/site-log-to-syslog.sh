#!/usr/bin/env bash
# Wrong: replaces the site's local access_log with the syslog target (and adds web2 to the collector's senders, loaded); the collector gets web2's requests, and the shop team's local log gets none.
set -euo pipefail
sed -i 's#^    access_log /var/log/nginx/shop-access.log main;$#    access_log syslog:server=10.0.2.20:514,facility=local7,tag=nginx,severity=info main;#' /etc/netns/web2/nginx/sites-enabled/shop
systemctl restart web2-nginx
sed -i 's#^        elements = { 10.0.2.11 }$#        elements = { 10.0.2.11, 10.0.2.12 }#' /etc/netns/loghost/nftables.conf
on loghost nft -f /etc/nftables.conf
