#!/usr/bin/env bash
# Wrong: drops the interface names where they stopped matching: forward policy accept and masquerade on every way out, the port forward on any interface (nftables.conf, loaded); the office browses and customers load the website, but web now logs gw's DMZ address for every customer, and the Internet reaches the office and the DMZ.
set -euo pipefail
sed -i -e 's/type filter hook forward priority filter; policy drop;/type filter hook forward priority filter; policy accept;/' \
  -e 's/^        oifname "eth1" masquerade$/        masquerade/' \
  -e 's/^        iifname "eth1" ip daddr 203.0.113.2 tcp dport 80 dnat/        ip daddr 203.0.113.2 tcp dport 80 dnat/' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
