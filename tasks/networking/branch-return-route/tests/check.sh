#!/usr/bin/env bash
# Grader: the branch reaches the intranet with its own address, the head office reaches the branch.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
fetch() { in_host "$1" curl -s --max-time 3 "$2"; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
probe="probe-$RANDOM$RANDOM"
check "the branch PC opens the intranet" 'fetch branch http://10.0.2.10/ | grep -q "Corp intranet"'
fetch branch "http://10.0.2.10/?$probe" >/dev/null
check "the intranet logs the branch PC's own address" 'grep "$probe" /var/log/nginx/web-access.log | grep -q "^10\.0\.5\.10 "'
check "the head office PC pings the branch PC" 'in_host client ping -c 1 -W 3 10.0.5.10 >/dev/null'
check "the branch PC pings the head office PC" 'in_host branch ping -c 1 -W 3 10.0.1.10 >/dev/null'
check "the head office still opens the intranet" 'fetch client http://10.0.2.10/ | grep -q "Corp intranet"'
probe2="probe-$RANDOM$RANDOM"
fetch client "http://10.0.2.10/?$probe2" >/dev/null
check "the intranet logs the head office PC's own address" 'grep "$probe2" /var/log/nginx/web-access.log | grep -q "^10\.0\.1\.10 "'
systemctl restart web-nginx.service
eventually "fetch web http://127.0.0.1/ >/dev/null"
check "after a restart of web's nginx the branch still opens the intranet" 'fetch branch http://10.0.2.10/ | grep -q "Corp intranet"'
exit $failed
