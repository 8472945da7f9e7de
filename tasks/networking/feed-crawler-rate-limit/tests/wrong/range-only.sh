#!/usr/bin/env bash
# Wrong: puts the crawlers' new range in the partners set (nftables.conf, loaded) and trusts the forward chain's "partners, no rate limit" accept; the feed works, but the limit in the scrubbing table drops at prerouting, before that accept, and half of each batch still times out.
set -euo pipefail
sed -i 's#^        elements = { 192.0.2.16/28 }$#        elements = { 192.0.2.80/28 }#' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
