#!/usr/bin/env bash
# Grader: client resolves through the DNS server (a name added now too), short names included.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
resolves() { [ "$(in_host client getent ahostsv4 "$1" 2>/dev/null | awk 'NR == 1 { print $1 }')" = "$2" ]; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
fresh="build-$RANDOM$RANDOM"
check "client resolves wiki.corp.example" 'resolves wiki.corp.example 10.0.2.10'
check "client resolves git.corp.example" 'resolves git.corp.example 10.0.2.11'
check "client resolves the short name wiki" 'resolves wiki 10.0.2.10'
echo "10.0.2.77   $fresh.corp.example" >> /srv/dns/corp.hosts
systemctl kill -s HUP ns-dnsmasq.service
eventually "in_host router getent hosts $fresh.corp.example >/dev/null"
check "client resolves a name the DNS server got just now" 'resolves "$fresh.corp.example" 10.0.2.77'
check "client still reaches the wiki by address" 'in_host client ping -c 1 -W 3 10.0.2.10 >/dev/null'
check "the router still resolves the names" 'in_host router getent hosts wiki.corp.example >/dev/null'
systemctl restart ns-dnsmasq.service
eventually "in_host router getent hosts git.corp.example >/dev/null"
check "after a restart of the DNS server client still resolves names" 'resolves git.corp.example 10.0.2.11'
exit $failed
