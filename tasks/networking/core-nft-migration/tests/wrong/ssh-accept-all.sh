#!/usr/bin/env bash
# Wrong: retires the old rules and binds the API, but turns the SSH drop into an accept (nftables.conf, loaded); admins get SSH, and so does the whole office.
set -euo pipefail
mv /etc/netns/core/iptables/rules.v4 /root/core-rules.v4.old
sed -i 's/^        tcp dport 22 drop comment/        tcp dport 22 accept comment/' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
sed -i 's/^        listen 127.0.0.1:8443;$/        listen 8443;/' /etc/netns/app/nginx/nginx.conf
systemctl restart app-nginx
