#!/usr/bin/env bash
# Wrong: retires the old rules and binds the API, but lets the admin network through to everything, first in the chain, instead of reordering the SSH rules (nftables.conf, loaded); admins get SSH, and the database and every other server port as well.
set -euo pipefail
mv /etc/netns/core/iptables/rules.v4 /root/core-rules.v4.old
sed -i 's/^        ct state invalid drop$/&\n        ip saddr 10.0.8.0\/24 accept comment "admins: all"/' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
sed -i 's/^        listen 127.0.0.1:8443;$/        listen 8443;/' /etc/netns/app/nginx/nginx.conf
systemctl restart app-nginx
