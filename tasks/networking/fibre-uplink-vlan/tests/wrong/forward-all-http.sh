#!/usr/bin/env bash
# Wrong: fixes the way out (eth1.7 in forward and masquerade) but forwards port 80 to the website whatever the interface and address (nftables.conf, loaded); customers load the website, and every page the office opens on the Internet is now the office's own website.
set -euo pipefail
sed -i -e 's/oifname "eth1" accept/oifname "eth1.7" accept/' -e 's/oifname "eth1" masquerade/oifname "eth1.7" masquerade/' \
  -e 's/^        iifname "eth1" ip daddr 203.0.113.2 tcp dport 80 dnat to 10.0.2.10$/        tcp dport 80 dnat to 10.0.2.10/' \
  -e 's/^        iifname "eth1" oifname "eth2" ip daddr 10.0.2.10 tcp dport 80 accept/        oifname "eth2" ip daddr 10.0.2.10 tcp dport 80 accept/' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
