#!/usr/bin/env bash
# Wrong: fixes edge's FORWARD rule for line B, then switches off the reverse path filter on the provider router that drops the answers (ispa's sysctl.d, applied) instead of routing them back over line B; the portal loads, and line A's provider no longer stops forged sources.
set -euo pipefail
sed -i 's#^-A FORWARD -i eth1 -o eth3 -d 192.0.2.2/32 #-A FORWARD -i eth1 -o eth3 -d 10.0.2.20/32 #' /etc/netns/edge/iptables/rules.v4
on edge iptables-restore /etc/iptables/rules.v4
sed -i 's/rp_filter = 1/rp_filter = 0/' /etc/netns/ispa/sysctl.d/40-customer-edge.conf
on ispa sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0
