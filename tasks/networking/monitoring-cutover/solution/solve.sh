#!/usr/bin/env bash
# core's change put the new monitor into the SSH set and left the old one as the only monitor; app's and
# db's own firewalls still admit the old monitor to their exporters. Move mon to the monitoring set,
# drop the old address everywhere, in the files each host boots from, and load them.
set -euo pipefail
on mon nc -z -w 2 10.0.2.10 9100 || true
on core nft list ruleset
sed -i -e 's/^        elements = { 10.0.9.0\/24, 10.0.8.6 }$/        elements = { 10.0.9.0\/24 }/' \
  -e 's/^        elements = { 10.0.8.5 }$/        elements = { 10.0.8.6 }/' /etc/netns/core/nftables.conf
on core nft -f /etc/nftables.conf
on core nft list set inet filter monitoring
on mon nc -z -w 2 10.0.2.10 9100
on mon nc -z -w 2 10.0.2.20 9100 || true
on app nft list ruleset
sed -i 's/^        ip saddr 10.0.8.5 tcp dport 9100 accept/        ip saddr 10.0.8.6 tcp dport 9100 accept/' /etc/netns/app/nftables.conf
on app nft -f /etc/nftables.conf
on db nft list chain inet filter input
sed -i 's/^        ip saddr 10.0.8.5 tcp dport 9100 accept/        ip saddr 10.0.8.6 tcp dport 9100 accept/' /etc/netns/db/nftables.conf
on db nft -f /etc/nftables.conf
on mon nc -z -w 2 10.0.2.20 9100
on mon nc -z -w 2 10.0.2.30 9100
on mon nc -z -w 2 10.0.2.20 22 || true
on admin nc -z -w 2 10.0.2.30 22
