#!/usr/bin/env bash
# Wrong: moves the gateway's forward to 9000 and the sync, but sets api's input policy to accept instead of moving its rule (nftables.conf, loaded); everything works, and the metrics and every other port of api are open to the whole LAN.
set -euo pipefail
sed -i -e 's#--dport 8080 -j DNAT --to-destination 10.0.2.20:8080#--dport 9000 -j DNAT --to-destination 10.0.2.20:9000#' \
  -e 's#-d 10.0.2.20 --dport 8080 -j ACCEPT#-d 10.0.2.20 --dport 9000 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
sed -i '/chain input/,/}/ s/policy drop;/policy accept;/' /etc/netns/api/nftables.conf
on api nft -f /etc/nftables.conf
sed -i 's#10.0.2.20:8080#10.0.2.20:9000#' /etc/default/orders-sync
