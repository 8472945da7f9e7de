#!/usr/bin/env bash
# Wrong: sets the input policy to accept (in nftables.conf, loaded); the database answers, and every port of web is open to the network.
set -euo pipefail
sed -i '/chain input/,/}/ s/policy drop;/policy accept;/' /etc/netns/web/nftables.conf
on web nft -f /etc/nftables.conf
