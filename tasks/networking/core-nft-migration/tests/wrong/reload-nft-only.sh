#!/usr/bin/env bash
# Wrong: fixes the rule order in nftables.conf and the API's bind, and reloads the ruleset, which also wipes the old iptables table live; everything works until core reboots and loads its old rules.v4 again, which drop the API.
set -euo pipefail
sed -i -e '/tcp dport 22 drop comment/{h;d}' -e '/comment "admins"$/G' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
sed -i 's/^        listen 127.0.0.1:8443;$/        listen 8443;/' /etc/netns/app/nginx/nginx.conf
systemctl restart app-nginx
