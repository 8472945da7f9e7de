#!/usr/bin/env bash
# Wrong: puts the new range in the partners set and raises the per-source limit until a batch of 50 fits (nftables.conf, loaded); the crawlers get everything, and the limit no longer stops anyone as it did.
set -euo pipefail
sed -i -e 's#^        elements = { 192.0.2.16/28 }$#        elements = { 192.0.2.80/28 }#' \
  -e 's#limit rate over 10/second burst 20 packets#limit rate over 100/second burst 200 packets#' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
