#!/usr/bin/env bash
# Wrong: hides the branch's DNS queries behind the router's head-office address (rules.v4, loaded), so the server takes them for local ones; the branch resolves, and the server's log no longer shows which PC asked.
set -euo pipefail
cat >> /etc/netns/rtr/iptables/rules.v4 <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 10.0.7.0/24 -d 10.0.1.53/32 -p udp -m udp --dport 53 -j MASQUERADE
-A POSTROUTING -s 10.0.7.0/24 -d 10.0.1.53/32 -p tcp -m tcp --dport 53 -j MASQUERADE
COMMIT
RULES
on rtr iptables-restore /etc/iptables/rules.v4
