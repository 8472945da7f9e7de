#!/usr/bin/env bash
# Grader: the branch downloads whole reports, small pages still load, web still ignores pings.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
download_ok() { [ "$(in_host client curl -s --max-time 15 http://10.0.2.10/q3.csv | sha256sum)" = "$(sha256sum < /srv/reports/q3.csv)" ]; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
check "the branch downloads the whole q3.csv report" 'download_ok'
check "the branch opens the reports index" 'in_host client curl -s --max-time 3 http://10.0.2.10/ | grep -q q3.csv'
check "web still ignores pings from the branch" '! in_host client ping -c 1 -W 2 10.0.2.10 >/dev/null'
check "web still ignores pings from the data centre" '! in_host r2 ping -c 1 -W 2 10.0.2.10 >/dev/null'
check "the VPN still carries no packet above 1400 bytes" '! in_host r1 ping -c 1 -W 2 -M do -s 1410 10.9.0.2 >/dev/null'
systemctl restart web-nginx.service
eventually "in_host web curl -s -o /dev/null http://127.0.0.1/"
check "after a restart of web's nginx the download still completes" 'download_ok'
exit $failed
