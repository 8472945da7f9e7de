#!/usr/bin/env bash
# Wrong: masquerades the branch behind the VPN router's DMZ address (in its rules.v4, so it stays); the branch opens the intranet, the logs show 10.0.2.2 for everyone there, and the head office still cannot reach the branch.
set -euo pipefail
cat > /etc/netns/vpn/iptables/rules.v4 <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.0.5.0/24 -o eth0 -j MASQUERADE
COMMIT
RULES
on vpn iptables-restore /etc/iptables/rules.v4
