#!/usr/bin/env bash
# Wrong: adds web2 to the collector's allowed senders (its nftables.conf, loaded) and stops there; the collector would take web2's logs, and web2's site still sends none.
set -euo pipefail
sed -i 's#^        elements = { 10.0.2.11 }$#        elements = { 10.0.2.11, 10.0.2.12 }#' /etc/netns/loghost/nftables.conf
on loghost nft -f /etc/nftables.conf
