#!/usr/bin/env bash
# Wrong: replaces the old monitor by the new one in core's monitoring set and on app and db (files, loaded), but leaves mon in core's SSH set where CHG-5502 put it; mon scrapes everything and can also open SSH on every server.
set -euo pipefail
sed -i 's/^        elements = { 10.0.8.5 }$/        elements = { 10.0.8.6 }/' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
for host in app db; do
  sed -i 's/^        ip saddr 10.0.8.5 tcp dport 9100 accept/        ip saddr 10.0.8.6 tcp dport 9100 accept/' /etc/netns/$host/nftables.conf
  on $host nft -f /etc/nftables.conf
done
