#!/usr/bin/env bash
# Wrong: loads a corrected ruleset from a copy elsewhere (eth1.7 for eth1) and leaves gw's nftables.conf as it was; everything works now, and after gw's next reboot the old names are back.
set -euo pipefail
sed 's/"eth1"/"eth1.7"/g' /etc/netns/gw/nftables.conf >/tmp/gw-fixed.nft
on gw nft -f /tmp/gw-fixed.nft
rm -f /tmp/gw-fixed.nft
