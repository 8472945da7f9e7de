#!/usr/bin/env bash
# Wrong: lets DNS out of gw's firewall (nftables.conf, loaded), removes the pin and restarts the proxy; nginx resolves the name once at start, customers get green, and the next switch never reaches the proxy.
set -euo pipefail
sed -i 's#^        ip daddr { 10.0.2.21, 10.0.2.22 } tcp dport 8080 accept comment "the API servers (blue, green)"$#&\n        ip daddr 10.0.2.53 meta l4proto { tcp, udp } th dport 53 accept comment "DNS"#' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
sed -i '/^# INC-5120/d; /api\.corp\.example$/d' /etc/netns/gw/hosts
systemctl restart gw-nginx
