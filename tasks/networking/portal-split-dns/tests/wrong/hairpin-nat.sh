#!/usr/bin/env bash
# Wrong: publishes the portal to the office too (gw's DNAT for 203.0.113.1 from every interface, and the office let through to it; rules.v4, loaded) instead of an internal record; the office opens the portal through the public address, against the split-DNS policy.
set -euo pipefail
sed -i -e 's#^-A PREROUTING -i eth0 -d 203.0.113.1/32 #-A PREROUTING -d 203.0.113.1/32 #' \
  -e 's#^-A FORWARD -i eth1 -o eth2 -d 10.0.2.10/32 -p tcp -m tcp --dport 80 -j ACCEPT$#&\n-A FORWARD -i eth1 -o eth2 -d 10.0.2.40/32 -p tcp -m tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
