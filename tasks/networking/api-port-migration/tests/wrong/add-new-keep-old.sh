#!/usr/bin/env bash
# Wrong: publishes and opens 9000 beside 8080 instead of moving (gw's rules.v4 and api's nftables.conf, loaded) and moves the sync; the API works, and the Internet still reaches port 8080, which is now the metrics.
set -euo pipefail
sed -i -e 's#^-A PREROUTING .*--dport 8080 .*$#&\n-A PREROUTING -i eth0 -p tcp -m tcp --dport 9000 -j DNAT --to-destination 10.0.2.20:9000#' \
  -e 's#^-A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.2.20 --dport 8080 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth1 -p tcp -d 10.0.2.20 --dport 9000 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
sed -i 's#^        tcp dport 8080 accept comment "orders API"$#&\n        tcp dport 9000 accept#' /etc/netns/api/nftables.conf
on api nft -f /etc/nftables.conf
sed -i 's#10.0.2.20:8080#10.0.2.20:9000#' /etc/default/orders-sync
