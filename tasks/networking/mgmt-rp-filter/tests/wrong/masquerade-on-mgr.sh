#!/usr/bin/env bash
# Wrong: masquerades everything mgr forwards to the management network (in its rules.v4, so it stays); app answers mgr's own address, and its log no longer shows who asked.
set -euo pipefail
cat > /etc/netns/mgr/iptables/rules.v4 <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -o eth1 -j MASQUERADE
COMMIT
RULES
on mgr iptables-restore /etc/iptables/rules.v4
