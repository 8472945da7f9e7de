#!/usr/bin/env bash
# Grader: mon reaches app's management address with its own address; the users' path is unchanged.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
fetch() { in_host "$1" curl -s --max-time 3 "$2"; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
probe="probe-$RANDOM$RANDOM"
check "mon gets app's health on http://10.0.9.20/health" '[ "$(fetch mon http://10.0.9.20/health)" = "app ok" ]'
check "mon pings 10.0.9.20" 'in_host mon ping -c 1 -W 3 10.0.9.20 >/dev/null'
fetch mon "http://10.0.9.20/health?$probe" >/dev/null
check "app's log shows mon's own address on the management address" 'grep "$probe" /var/log/nginx/app-access.log | grep -q "^10\.0\.8\.5 "'
check "LAN users still open the app on 10.0.1.20" 'fetch user http://10.0.1.20/ | grep -q Orders'
check "app still reaches other networks through the core router" 'in_host app ip route get 10.0.77.7 | grep -q " via 10\.0\.1\.1 "'
check "mgr still pings app's management address" 'in_host mgr ping -c 1 -W 3 10.0.9.20 >/dev/null'
systemctl restart app-nginx.service
eventually "fetch app http://127.0.0.1/health >/dev/null"
check "after a restart of app's nginx mon still gets the health check" '[ "$(fetch mon http://10.0.9.20/health)" = "app ok" ]'
exit $failed
