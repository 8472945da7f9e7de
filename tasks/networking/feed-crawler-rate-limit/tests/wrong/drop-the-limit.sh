#!/usr/bin/env bash
# Wrong: puts the new range in the partners set and deletes INC-4630's scrubbing table (nftables.conf, loaded); the crawlers get everything, and so does the next scraper.
set -euo pipefail
sed -i -e 's#^        elements = { 192.0.2.16/28 }$#        elements = { 192.0.2.80/28 }#' \
  -e '/^# INC-4630/,$d' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
