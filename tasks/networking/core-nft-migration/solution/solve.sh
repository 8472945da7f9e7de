#!/usr/bin/env bash
# Three faults: core still loads its old iptables rules at boot beside the new ruleset (their FORWARD
# chain drops 8443); the new ruleset drops SSH before it accepts the admins; app's API listens on
# 127.0.0.1 only. Retire the old rules, put the admins' accept first, bind the API to the network.
set -euo pipefail
on office curl -s --max-time 3 http://10.0.2.20:8443/v1/status || true
on core nft list ruleset
ls -l /etc/netns/core/iptables/
# The old rules are part of the migration's leftovers: keep a copy out of the boot path.
mv /etc/netns/core/iptables/rules.v4 /root/core-rules.v4.pre-CHG-4611
# The admins' SSH accept goes before the general SSH drop.
sed -i -e '/tcp dport 22 drop comment/{h;d}' -e '/comment "admins"$/G' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
on core nft list chain inet filter forward
on office curl -s --max-time 3 http://10.0.2.20:8443/v1/status || true
on app ss -ltn
sed -i 's/^        listen 127.0.0.1:8443;$/        listen 8443;/' /etc/netns/app/nginx/nginx.conf
systemctl restart app-nginx
on office curl -s --retry 5 --retry-connrefused --retry-delay 1 --max-time 10 http://10.0.2.20:8443/v1/status
on admin nc -z -w 3 10.0.2.20 22
on admin nc -z -w 3 10.0.2.30 22
on office nc -z -w 2 10.0.2.20 22 || true
