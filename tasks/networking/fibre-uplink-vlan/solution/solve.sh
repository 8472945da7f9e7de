#!/usr/bin/env bash
# gw's uplink is the VLAN interface eth1.7 since the fibre change, but its firewall and NAT still name
# eth1, the bare port under it: packets leave by eth1.7, so "eth1" matches none of them. The office's
# traffic out is dropped (and would not be masqueraded), the website's port forward never matches.
# Name eth1.7 in gw's nftables.conf, and load it.
set -euo pipefail
on pc curl -s --max-time 3 http://198.51.100.80/ || true
on gw curl -s --max-time 3 http://198.51.100.80/
on gw ip -br address
on gw nft list ruleset
sed -i 's/"eth1"/"eth1.7"/g' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
on pc curl -s --max-time 5 http://198.51.100.80/
on ext curl -s --max-time 5 http://203.0.113.2/
