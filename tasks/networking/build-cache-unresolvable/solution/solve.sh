#!/usr/bin/env bash
# The pool's answer (48 addresses) is over 512 bytes: a query without EDNS gets it truncated and the
# resolver retries over TCP, which the router and the DNS server's own firewall both drop (they let
# DNS through over UDP only). DNS over TCP through both, in their boot files and live.
set -euo pipefail
on pc timeout 10 getent hosts cache.corp.example || true
on pc dig +short cache.corp.example | wc -l
on pc dig +noedns +ignore +time=2 +tries=1 cache.corp.example | grep -E 'flags:' || true
on pc dig +tcp +time=2 +tries=1 cache.corp.example || true
on rtr iptables -S FORWARD
sed -i 's#^-A FORWARD -i eth0 -o eth1 -d 10.0.2.53/32 -p udp -m udp --dport 53 -j ACCEPT$#&\n-A FORWARD -i eth0 -o eth1 -d 10.0.2.53/32 -p tcp -m tcp --dport 53 -j ACCEPT#' /etc/netns/rtr/iptables/rules.v4
on rtr iptables-restore /etc/iptables/rules.v4
on ns nft list ruleset
sed -i 's#^        udp dport 53 accept comment "DNS"$#        meta l4proto { tcp, udp } th dport 53 accept comment "DNS"#' /etc/netns/ns/nftables.conf
on ns nft -f /etc/nftables.conf
on pc getent ahostsv4 cache.corp.example | awk '{ print $1 }' | sort -u | wc -l
on pc curl -sS --max-time 5 http://cache.corp.example/
