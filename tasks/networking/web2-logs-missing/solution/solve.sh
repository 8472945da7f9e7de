#!/usr/bin/env bash
# Two faults: web2's site has an access_log of its own, and nginx then inherits none of http{}'s (the
# syslog one included); and loghost's firewall lets syslog in from web1 only.
set -euo pipefail
ls -l /var/log/central/
on web2 nginx -T
on web1 curl -s -o /dev/null http://10.0.2.12/
tail -n 1 /var/log/nginx/shop-access.log
on loghost nft list ruleset
# web2: the site sends to the collector too, beside its own local log.
sed -i 's#^    access_log /var/log/nginx/shop-access.log main;$#&\n    access_log syslog:server=10.0.2.20:514,facility=local7,tag=nginx,severity=info main;#' /etc/netns/web2/nginx/sites-enabled/shop
on web2 nginx -t
systemctl restart web2-nginx
# loghost: web2 may send logs too.
sed -i 's#^        elements = { 10.0.2.11 }$#        elements = { 10.0.2.11, 10.0.2.12 }#' /etc/netns/loghost/nftables.conf
on loghost nft -f /etc/nftables.conf
on web1 curl -s -o /dev/null --retry 5 --retry-connrefused --retry-delay 1 http://10.0.2.12/?solved
sleep 1
grep solved /var/log/central/10.0.2.12.log /var/log/nginx/shop-access.log
