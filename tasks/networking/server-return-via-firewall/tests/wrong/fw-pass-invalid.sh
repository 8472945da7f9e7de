#!/usr/bin/env bash
# Wrong: lets fw pass what comes back into the server network from it, before its invalid drop (nftables.conf, loaded), instead of fixing app's route; the office opens the pages, but every answer of app to the office now runs through fw, and stops whenever fw is down.
set -euo pipefail
sed -i 's#^        ct state established,related accept$#&\n        iifname "eth0" oifname "eth0" accept comment "servers: back to the office"#' /etc/netns/fw/nftables.conf
on fw nft -f /etc/nftables.conf
