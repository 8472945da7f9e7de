#!/usr/bin/env bash
# Grader: client resolves through the DNS server (a name added now too), short names included; the
# retired resolver address stays dead; again after client, router and ns reboot.
source /run/opslab-grader/lib.sh
# resolves NAME ADDRESS: client's resolver (glibc, its own resolv.conf and hosts) gives NAME's first address as ADDRESS.
# NOTE: each server in its resolv.conf waited for 2 s, once (RES_OPTIONS, over its options): glibc still
# tries every server in turn, and the DNS server answers in milliseconds; its default (5 s, twice) makes a
# resolver that points nowhere cost 10 s a name.
resolves() { [ "$(RES_OPTIONS='timeout:2 attempts:1' ip netns exec client getent ahostsv4 "$1" 2>/dev/null | awk 'NR == 1 { print $1 }')" = "$2" ]; }
# answers_dns_at HOST ADDRESS: a DNS query from HOST to ADDRESS gets an answer.
answers_dns_at() { ip netns exec "$1" dig +time=1 +tries=1 +short "@$2" wiki.corp.example >/dev/null 2>&1; }
fresh="build-$RANDOM$RANDOM"
echo "10.0.2.77   $fresh.corp.example" >> /srv/dns/corp.hosts
systemctl kill -s HUP ns-dnsmasq.service
checks() {
  local when=$1
  check_later "$when: nothing answers DNS at the retired 10.0.2.53, from client or from the DMZ" 'all_succeed "! answers_dns_at client 10.0.2.53" "! answers_dns_at wiki 10.0.2.53"'
  check "$when: client resolves wiki.corp.example" 'resolves wiki.corp.example 10.0.2.10'
  check "$when: client resolves git.corp.example" 'resolves git.corp.example 10.0.2.11'
  check "$when: client resolves the short name wiki" 'resolves wiki 10.0.2.10'
  check "$when: client resolves a name the DNS server got at grading" 'eventually 5 "resolves $fresh.corp.example 10.0.2.77"'
  check "$when: client still reaches the wiki by address" 'host_pings client 10.0.2.10'
  check "$when: the router still resolves the names" 'ip netns exec router getent hosts wiki.corp.example >/dev/null'
}
# NOTE: ready once the DNS server answers (a query with a 1 s time-out: getent blocks 5 s on a server not up yet).
checks_across_reboot 'ip netns exec router dig +time=1 +tries=1 +short @10.0.2.54 git.corp.example | grep -q .' client router ns
finish
