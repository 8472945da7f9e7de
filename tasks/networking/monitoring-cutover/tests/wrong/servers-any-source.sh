#!/usr/bin/env bash
# Wrong: fixes core's sets, but opens port 9100 to any source on app and db (their nftables.conf, loaded) instead of naming the new monitor; mon scrapes everything, and every other server reaches the exporters too.
set -euo pipefail
sed -i -e 's/^        elements = { 10.0.9.0\/24, 10.0.8.6 }$/        elements = { 10.0.9.0\/24 }/' \
  -e 's/^        elements = { 10.0.8.5 }$/        elements = { 10.0.8.6 }/' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
for host in app db; do
  sed -i 's/^        ip saddr 10.0.8.5 tcp dport 9100 accept/        tcp dport 9100 accept/' /etc/netns/$host/nftables.conf
  on $host nft -f /etc/nftables.conf
done
