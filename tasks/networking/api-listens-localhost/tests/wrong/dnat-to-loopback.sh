#!/usr/bin/env bash
# Wrong: leaves nginx on 127.0.0.1 and has app's firewall rewrite port 8080 to the loopback address (route_localnet on; both in app's files, so they stay); the office gets the API through a NAT trick while nginx still listens on loopback only.
set -euo pipefail
echo 'net.ipv4.conf.eth0.route_localnet = 1' > /etc/netns/app/sysctl.d/60-localnet.conf
cat > /etc/netns/app/iptables/rules.v4 <<'RULES'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:8080
COMMIT
RULES
on app 'sysctl -qw net.ipv4.conf.eth0.route_localnet=1 && iptables-restore /etc/iptables/rules.v4'
