#!/usr/bin/env bash
# Wrong: admits the whole operations network to the exporters instead of the new monitor's address (core's monitoring set and the servers' rules, loaded), and takes mon out of the SSH set; mon scrapes everything, and so do the retired monitor's address and every other operations PC.
set -euo pipefail
sed -i -e 's/^        elements = { 10.0.9.0\/24, 10.0.8.6 }$/        elements = { 10.0.9.0\/24 }/' \
  -e 's/^        comment "node exporters (tcp\/9100) on the servers"$/&\n        flags interval/' \
  -e 's/^        elements = { 10.0.8.5 }$/        elements = { 10.0.8.0\/24 }/' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
for host in app db; do
  sed -i 's/^        ip saddr 10.0.8.5 tcp dport 9100 accept/        ip saddr 10.0.8.0\/24 tcp dport 9100 accept/' /etc/netns/$host/nftables.conf
  on $host nft -f /etc/nftables.conf
done
