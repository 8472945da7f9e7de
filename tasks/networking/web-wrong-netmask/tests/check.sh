#!/usr/bin/env bash
# Grader: both offices reach web through the router with their own addresses, web routes every other
# network through its gateway, the DMZ still reaches it directly; again after web and router reboot.
source /run/opslab-grader/lib.sh
via_router() { ip netns exec web ip route get "$1" | grep -q " via 10\.0\.2\.1 "; }
checks() {
  local when=$1
  check "$when: the head office opens the intranet" 'host_get client http://10.0.2.10/ | grep -q "Corp intranet"'
  check "$when: the branch office opens the intranet" 'host_get branch http://10.0.2.10/ | grep -q "Corp intranet"'
  check "$when: web sees the head office PC's own address (no NAT)" 'seen_from client http://10.0.2.10/ /var/log/nginx/web-access.log 10.0.1.10'
  check "$when: web sends traffic for other networks through the router" 'via_router 10.0.1.10 && via_router 10.0.4.10 && via_router 10.0.3.7 && via_router 10.0.200.9'
  check "$when: web still answers on 10.0.2.10" 'ip netns exec web ip -4 -o addr show dev eth0 | grep -q " 10\.0\.2\.10/"'
  check "$when: mon still reaches web directly in the DMZ" 'host_get mon http://10.0.2.10/ | grep -q "Corp intranet" && ip netns exec mon ip neigh show 10.0.2.10 | grep -q lladdr'
}
checks_across_reboot 'host_get web http://127.0.0.1/ >/dev/null' web router
finish
