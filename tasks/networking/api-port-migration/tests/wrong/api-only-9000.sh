#!/usr/bin/env bash
# Wrong: moves the gateway's forward and the sync to 9000, and rewrites api's input rules to open 9000 only (nftables.conf, loaded); the API works, and the monitoring host loses the metrics.
set -euo pipefail
sed -i -e 's#--dport 8080 -j DNAT --to-destination 10.0.2.20:8080#--dport 9000 -j DNAT --to-destination 10.0.2.20:9000#' \
  -e 's#-d 10.0.2.20 --dport 8080 -j ACCEPT#-d 10.0.2.20 --dport 9000 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
sed -i -e '/dport 8080 accept comment "metrics, scraped by mon"/d' -e 's#tcp dport 8080 accept comment "orders API"#tcp dport 9000 accept comment "orders API"#' /etc/netns/api/nftables.conf
on api nft -f /etc/nftables.conf
sed -i 's#10.0.2.20:8080#10.0.2.20:9000#' /etc/default/orders-sync
