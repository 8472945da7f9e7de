#!/usr/bin/env bash
# Wrong: narrows the block to the attack ranges (nft set and null route), but opens the API to any source instead of adding Northwind to the partners (edge's files, loaded); Northwind gets in, and so does anyone on the Internet.
set -euo pipefail
sed -i -e 's#^        elements = { 198.51.100.0/24 }$#        elements = { 198.51.100.0/26, 198.51.100.128/25 }#' \
  -e 's# tcp dport 8080 ip saddr @partners accept$# tcp dport 8080 accept#' /etc/netns/edge/nftables.conf
sed -i 's#^    up ip route add blackhole 198.51.100.0/24$#    up ip route add blackhole 198.51.100.0/26\n    up ip route add blackhole 198.51.100.128/25#' /etc/netns/edge/network/interfaces
on edge nft -f /etc/nftables.conf
on edge ip route del blackhole 198.51.100.0/24
on edge ip route add blackhole 198.51.100.0/26
on edge ip route add blackhole 198.51.100.128/25
