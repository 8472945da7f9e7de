#!/usr/bin/env bash
# Wrong: rewrites the public address to the shop's inner one on the till it tests from (a DNAT in the till's own OUTPUT chain, in its rules.v4, loaded) and lets the office through to the shop on gw; that till works, and every new till still times out.
set -euo pipefail
mkdir -p /etc/netns/till/iptables
cat > /etc/netns/till/iptables/rules.v4 <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A OUTPUT -d 203.0.113.1/32 -p tcp --dport 80 -j DNAT --to-destination 10.0.2.20:80
COMMIT
RULES
on till iptables-restore /etc/iptables/rules.v4
sed -i 's#--dport 8081 -j ACCEPT$#--dport 8081 -j ACCEPT\n-A FORWARD -i eth1 -o eth2 -s 10.0.1.0/24 -d 10.0.2.20/32 -p tcp -m tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
