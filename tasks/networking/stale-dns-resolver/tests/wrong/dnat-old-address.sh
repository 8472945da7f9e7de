#!/usr/bin/env bash
# Wrong: makes the router redirect DNS for the retired address to ns (in its rules.v4, so it stays); the PC resolves, through an address that should be dead.
set -euo pipefail
cat > /etc/netns/router/iptables/rules.v4 <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.0.2.53/32 -p udp --dport 53 -j DNAT --to-destination 10.0.2.54
-A PREROUTING -d 10.0.2.53/32 -p tcp --dport 53 -j DNAT --to-destination 10.0.2.54
COMMIT
RULES
on router iptables-restore /etc/iptables/rules.v4
