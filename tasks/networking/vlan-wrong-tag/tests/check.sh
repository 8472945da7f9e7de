#!/usr/bin/env bash
# Grader: db is reached in VLAN 30 through the router; the office VLAN does not see it directly.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
check "pc connects to the database at 10.0.30.20:5432" 'in_host pc nc -z -w 3 10.0.30.20 5432'
check "db pings its gateway 10.0.30.1" 'in_host db ping -c 1 -W 3 10.0.30.1 >/dev/null'
check "the router reaches db through its VLAN 30 interface" 'in_host router ping -c 1 -W 3 -I eth0.30 10.0.30.20 >/dev/null'
check "db answers the router's VLAN 30 address with its own" 'in_host router ip neigh show 10.0.30.20 dev eth0.30 | grep -q lladdr'
check "the router's VLAN 20 interface does not see db" 'in_host router ip neigh flush dev eth0.20; ! in_host router ping -c 1 -W 2 -I eth0.20 10.0.30.20 -r >/dev/null'
check "pc goes through the router to reach db" 'in_host pc ip route get 10.0.30.20 | grep -q " via 10\.0\.20\.1 "'
check "pc still reaches its gateway" 'in_host pc ping -c 1 -W 3 10.0.20.1 >/dev/null'
check "the router still has only its two VLAN addresses" '[ "$(in_host router ip -4 -o addr show | grep -vc " lo ")" = 2 ]'
systemctl restart db-postgres.service
eventually "in_host db ss -Hltn 'sport = :5432' | grep -q ."
check "after a restart of the database pc still connects" 'in_host pc nc -z -w 3 10.0.30.20 5432'
exit $failed
