#!/usr/bin/env bash
# Grader: db is reached in VLAN 30 through the router; the office VLAN does not see it directly; the
# router keeps its two VLAN addresses; again after db, router and pc reboot.
source /run/opslab-grader/lib.sh
in_vlan30() { ip netns exec router ping -c 1 -W 3 -I eth0.30 10.0.30.20 >/dev/null 2>&1; }
# seen_in_vlan20: db answers a ping sent out of the router's VLAN 20 interface (1 s: an answer on the
# virtual cable takes milliseconds, and the check passes by waiting it out).
seen_in_vlan20() {
  ip netns exec router ip neigh flush dev eth0.20
  ip netns exec router ping -c 1 -W 1 -I eth0.20 -r 10.0.30.20 >/dev/null 2>&1
}
checks() {
  local when=$1
  check "$when: pc connects to the database at 10.0.30.20:5432" 'host_connects pc 10.0.30.20 5432'
  check "$when: db pings its gateway 10.0.30.1" 'host_pings db 10.0.30.1'
  check "$when: the router reaches db through its VLAN 30 interface" 'in_vlan30'
  check "$when: db answers the router's VLAN 30 address with its own" 'ip netns exec router ip neigh show 10.0.30.20 dev eth0.30 | grep -q lladdr'
  check "$when: the router's VLAN 20 interface does not see db" '! seen_in_vlan20'
  check "$when: pc goes through the router to reach db" 'ip netns exec pc ip route get 10.0.30.20 | grep -q " via 10\.0\.20\.1 "'
  check "$when: pc still reaches its gateway" 'host_pings pc 10.0.20.1'
  check "$when: the router still has only its two VLAN addresses" '[ "$(ip netns exec router ip -4 -o addr show | grep -vc " lo ")" = 2 ]'
}
checks_across_reboot "ip netns exec db ss -Hltn 'sport = :5432' | grep -q ." db router pc
finish
