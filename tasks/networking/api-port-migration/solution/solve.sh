#!/usr/bin/env bash
# Finish CHG-4410 on every hop: the gateway publishes 9000 (DNAT and FORWARD) instead of 8080, api's
# firewall opens 9000 and keeps 8080 (metrics) for mon only, the order sync calls 9000; each in the
# files the hosts boot from, and loaded now.
set -euo pipefail
on api ss -ltn
on gw iptables -t nat -S PREROUTING
on gw iptables -S FORWARD
journalctl -u batch-sync -n 5 --no-pager
# gw: the public port and the forward rule follow the API to 9000; 8080 is no longer published.
sed -i -e 's#--dport 8080 -j DNAT --to-destination 10.0.2.20:8080#--dport 9000 -j DNAT --to-destination 10.0.2.20:9000#' \
  -e 's#-d 10.0.2.20 --dport 8080 -j ACCEPT#-d 10.0.2.20 --dport 9000 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
on partner curl -s --max-time 5 http://203.0.113.1:9000/v1/orders || true
# api: the API's rule moves to 9000; 8080 stays open to mon only.
on api nft list ruleset
sed -i 's#tcp dport 8080 accept comment "orders API"#tcp dport 9000 accept comment "orders API"#' /etc/netns/api/nftables.conf
on api nft -f /etc/nftables.conf
on partner curl -s --max-time 5 http://203.0.113.1:9000/v1/orders
# The order sync calls the new port.
sed -i 's#^ORDERS_API=http://10.0.2.20:8080$#ORDERS_API=http://10.0.2.20:9000#' /etc/default/orders-sync
systemctl restart batch-sync
sleep 4
journalctl -u batch-sync -n 3 --no-pager
on mon curl -s --max-time 5 http://10.0.2.20:8080/metrics
