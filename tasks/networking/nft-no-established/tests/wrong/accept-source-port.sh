#!/usr/bin/env bash
# Wrong: accepts every TCP packet from source port 5432 (in nftables.conf, loaded); the answers get in, and so does anyone who connects to any port of web from port 5432.
set -euo pipefail
sed -i 's/^        iif "lo" accept$/        tcp sport 5432 accept\n        iif "lo" accept/' /etc/netns/web/nftables.conf
on web nft -f /etc/nftables.conf
