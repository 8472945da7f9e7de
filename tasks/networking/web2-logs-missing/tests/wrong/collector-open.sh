#!/usr/bin/env bash
# Wrong: fixes web2's site, and opens the collector's syslog port to every sender instead of adding web2 (nftables.conf, loaded); web2's logs arrive, and any machine can write into the SIEM's logs.
set -euo pipefail
sed -i 's#^    access_log /var/log/nginx/shop-access.log main;$#&\n    access_log syslog:server=10.0.2.20:514,facility=local7,tag=nginx,severity=info main;#' /etc/netns/web2/nginx/sites-enabled/shop
systemctl restart web2-nginx
sed -i 's#^        udp dport 514 ip saddr @log_senders accept comment "syslog from the web servers"$#        udp dport 514 accept comment "syslog"#' /etc/netns/loghost/nftables.conf
on loghost nft -f /etc/nftables.conf
