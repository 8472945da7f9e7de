#!/usr/bin/env bash
# Grader: nginx on app serves the API to the office from its own configuration; /admin/ stays local.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
status() { in_host "$1" curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$2"; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
serves_office() { in_host client curl -s --max-time 3 http://10.0.1.20:8080/ | grep -q '"service": "inventory"'; }
failed=0
probe="probe-$RANDOM$RANDOM"
check "the office gets the inventory from http://10.0.1.20:8080/" 'serves_office'
in_host client curl -s --max-time 3 "http://10.0.1.20:8080/?$probe" >/dev/null
check "nginx on app answered the office PC itself" 'grep "$probe" /var/log/nginx/app-access.log | grep -q "^10\.0\.1\.10 "'
check "only nginx listens on port 8080 of app" '[ -n "$(in_host app ss -Hltnp "sport = :8080")" ] && ! in_host app ss -Hltnp "sport = :8080" | grep -v "\"nginx\"" | grep -q .'
check "the office gets 403 on /admin/" '[ "$(status client http://10.0.1.20:8080/admin/)" = 403 ]'
check "app itself still opens /admin/" '[ "$(status app http://127.0.0.1:8080/admin/)" = 200 ]'
check "no NAT rule redirects port 8080" '! in_host app iptables-save -t nat 2>/dev/null | grep -q -- "--dport 8080" && ! in_host app nft list ruleset 2>/dev/null | grep -q "dnat\|redirect"'
systemctl restart app-nginx.service
eventually "[ \"\$(status app http://127.0.0.1:8080/)\" = 200 ]"
check "after a restart of app's nginx the office still gets the inventory" 'serves_office'
exit $failed
