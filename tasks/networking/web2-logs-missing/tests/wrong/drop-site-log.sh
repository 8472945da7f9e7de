#!/usr/bin/env bash
# Wrong: deletes the site's own access_log so that it inherits http{}'s two (and adds web2 to the collector's senders, loaded); the collector gets web2's requests, and the local copy goes to web2-access.log, not the shop log the reports read.
set -euo pipefail
sed -i '/^    access_log \/var\/log\/nginx\/shop-access.log main;$/d' /etc/netns/web2/nginx/sites-enabled/shop
systemctl restart web2-nginx
sed -i 's#^        elements = { 10.0.2.11 }$#        elements = { 10.0.2.11, 10.0.2.12 }#' /etc/netns/loghost/nftables.conf
on loghost nft -f /etc/nftables.conf
