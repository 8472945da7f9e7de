#!/usr/bin/env bash
# Grader: the office reaches the intranet through the router, unNATed; the guest Wi-Fi stays cut off.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
fetch() { in_host "$1" curl -s --max-time 4 "$2"; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
probe="probe-$RANDOM$RANDOM"
check "the office PC opens the intranet" 'fetch client http://10.0.2.10/ | grep -q "Corp intranet"'
fetch client "http://10.0.2.10/?$probe" >/dev/null
check "web sees the office PC's own address (no NAT)" 'grep "$probe" /var/log/nginx/web-access.log | grep -q "^10\.0\.1\.10 "'
check "the office PC pings web" 'in_host client ping -c 1 -W 3 10.0.2.10 >/dev/null'
check "the guest Wi-Fi still cannot reach the intranet" '! fetch guest http://10.0.2.10/ >/dev/null'
check "the guest Wi-Fi still cannot ping web" '! in_host guest ping -c 1 -W 2 10.0.2.10 >/dev/null'
check "the guest Wi-Fi still reaches the office LAN" 'in_host guest ping -c 1 -W 3 10.0.1.10 >/dev/null'
systemctl restart web-nginx.service
eventually "fetch web http://127.0.0.1/ >/dev/null"
check "after a restart of web's nginx the office still opens the intranet" 'fetch client http://10.0.2.10/ | grep -q "Corp intranet"'
exit $failed
