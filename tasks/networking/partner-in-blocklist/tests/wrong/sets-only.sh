#!/usr/bin/env bash
# Wrong: fixes the firewall's sets (the blocklist narrowed, Northwind a partner; nftables.conf, loaded) and stops there; the null route for the whole /24 still swallows the API's answers to Northwind.
set -euo pipefail
sed -i -e 's#^        elements = { 198.51.100.0/24 }$#        elements = { 198.51.100.0/26, 198.51.100.128/25 }#' \
  -e 's#^        elements = { 192.0.2.0/24 }$#        elements = { 192.0.2.0/24, 198.51.100.64/26 }#' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
