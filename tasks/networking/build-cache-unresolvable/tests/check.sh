#!/usr/bin/env bash
# Grader: pc resolves the build cache's whole pool (48 addresses) as any program does (glibc, no EDNS:
# truncated over UDP, then TCP), a new PC gets the pool from the DNS server over TCP, small names still
# resolve, the pool serves; ns's other ports stay closed to the office and its own network; again after rtr and ns reboot.
source /run/opslab-grader/lib.sh
# pool_from_pc: how many distinct addresses pc's resolver (glibc) gets for the pool.
pool_from_pc() { timeout 8 ip netns exec pc getent ahostsv4 cache.corp.example | awk '{ print $1 }' | sort -u | grep -c '^10\.0\.6\.'; }
# pool_over_tcp HOST: how many addresses the DNS server answers HOST over TCP.
pool_over_tcp() { ip netns exec "$1" dig +tcp +time=2 +tries=1 +short @10.0.2.53 cache.corp.example A | sort -u | grep -c '^10\.0\.6\.'; }
checks() {
  local when=$1
  # What must stay closed first: these wait out their time-outs beside the checks that follow.
  check_later "$when: ns's other ports stay closed to the office and the server network (SSH, another port)" 'all_succeed "host_unanswered pc http://10.0.2.53:22/" "host_unanswered newsrv http://10.0.2.53:22/" "host_unanswered newsrv http://10.0.2.53:80/"'
  # NOTE: the new PC's query over TCP first: it gives up after 2 s where pc's resolver, whose truncated
  # answer sends it to TCP, waits out its 8 s when TCP is dropped on the way.
  check "$when: a new PC gets all 48 over TCP from the DNS server" '[ "$(pool_over_tcp newpc)" = 48 ]'
  check "$when: pc resolves cache.corp.example to all 48 cache addresses" '[ "$(pool_from_pc)" = 48 ]'
  check "$when: pc still resolves the other names" '[ "$(ip netns exec pc getent ahostsv4 wiki.corp.example | awk "NR == 1 { print \$1 }")" = 10.0.2.10 ]'
  check "$when: pc fetches from the build cache by name" 'host_get pc http://cache.corp.example/ | grep -q "^build cache node 10\.0\.6\.[0-9]*: ok"'
}
plug_in newpc lan 10.0.1.77/24 10.0.1.1
plug_in newsrv srv 10.0.2.77/24 10.0.2.1
checks_across_reboot 'ip netns exec rtr dig +time=1 +tries=1 +short @10.0.2.53 wiki.corp.example | grep -q .' rtr ns
finish
