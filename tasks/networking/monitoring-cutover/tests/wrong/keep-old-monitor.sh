#!/usr/bin/env bash
# Wrong: adds the new monitor beside the old one everywhere (core's monitoring set, app's and db's rules, loaded) and takes it out of the SSH set, but never removes 10.0.8.5; mon scrapes everything, and so will the contractor's laptop that gets the old address.
set -euo pipefail
sed -i -e 's/^        elements = { 10.0.9.0\/24, 10.0.8.6 }$/        elements = { 10.0.9.0\/24 }/' \
  -e 's/^        elements = { 10.0.8.5 }$/        elements = { 10.0.8.5, 10.0.8.6 }/' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
for host in app db; do
  sed -i 's/^        ip saddr 10.0.8.5 tcp dport 9100 accept/        ip saddr { 10.0.8.5, 10.0.8.6 } tcp dport 9100 accept/' /etc/netns/$host/nftables.conf
  on $host nft -f /etc/nftables.conf
done
