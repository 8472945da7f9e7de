#!/usr/bin/env bash
# Grader: both offices reach web through the router with their own addresses; the DMZ still reaches it directly.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
fetch() { in_host "$1" curl -s --max-time 3 "$2"; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
via_router() { in_host web ip route get "$1" | grep -q " via 10\.0\.2\.1 "; }
failed=0
probe="probe-$RANDOM$RANDOM"
check "the head office opens the intranet" 'fetch client http://10.0.2.10/ | grep -q "Corp intranet"'
check "the branch office opens the intranet" 'fetch branch http://10.0.2.10/ | grep -q "Corp intranet"'
fetch client "http://10.0.2.10/?$probe" >/dev/null
check "web sees the head office PC's own address (no NAT)" 'grep "$probe" /var/log/nginx/web-access.log | grep -q "^10\.0\.1\.10 "'
check "web sends traffic for other networks through the router" 'via_router 10.0.1.10 && via_router 10.0.4.10 && via_router 10.0.3.7 && via_router 10.0.200.9'
check "web still answers on 10.0.2.10" 'in_host web ip -4 -o addr show dev eth0 | grep -q " 10\.0\.2\.10/"'
check "mon still reaches web directly in the DMZ" 'fetch mon http://10.0.2.10/ | grep -q "Corp intranet" && in_host mon ip neigh show 10.0.2.10 | grep -q lladdr'
systemctl restart web-nginx.service
eventually "fetch web http://127.0.0.1/ >/dev/null"
check "after a restart of web's nginx the head office still opens the intranet" 'fetch client http://10.0.2.10/ | grep -q "Corp intranet"'
exit $failed
