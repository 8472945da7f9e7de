#!/usr/bin/env bash
# Wrong: adds the crawlers' whole /24 to the partners and exempts it from the limit (nftables.conf, loaded); the crawlers get everything, and so does every other network in 192.0.2.0/24, the old range's new owner included.
set -euo pipefail
sed -i -e 's#^        elements = { 192.0.2.16/28 }$#        elements = { 192.0.2.0/24 }#' \
  -e 's#^        iifname "eth0" tcp dport 80 ct state new update @flood#        iifname "eth0" ip saddr 192.0.2.0/24 accept\n&#' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
