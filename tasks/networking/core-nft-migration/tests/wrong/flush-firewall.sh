#!/usr/bin/env bash
# Wrong: empties core's firewall (nftables.conf down to "flush ruleset", rules.v4 removed, loaded) and binds the API to the network; everything answers, and SSH and the database are open to the office.
set -euo pipefail
printf '#!/usr/sbin/nft -f\nflush ruleset\n' > /etc/netns/core/nftables.conf
rm -f /etc/netns/core/iptables/rules.v4
on core nft flush ruleset
sed -i 's/^        listen 127.0.0.1:8443;$/        listen 8443;/' /etc/netns/app/nginx/nginx.conf
systemctl restart app-nginx
