#!/usr/bin/env bash
# Grader: after reloading web's firewall from its file, web reaches db, the shop answers, the rest stays closed.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
check "web's firewall loads from /etc/nftables.conf" 'in_host web nft -f /etc/nftables.conf'
check "web connects to the database on 10.0.2.30:5432" 'in_host web nc -z -w 4 10.0.2.30 5432'
check "the shop answers the network on port 80" 'in_host client curl -s --max-time 3 http://10.0.2.10/ | grep -q "Corp shop"'
check "web still answers ping" 'in_host client ping -c 1 -W 3 10.0.2.10 >/dev/null'
check "the metrics port 9100 is still closed to the network" '! in_host client curl -s --max-time 3 http://10.0.2.10:9100/ >/dev/null'
check "the metrics still answer on web itself" 'in_host web curl -s --max-time 3 http://127.0.0.1:9100/ | grep -q shop_up'
check "a closed port of web stays dropped (no answer, not a refusal)" 'in_host client curl -s --max-time 2 http://10.0.2.10:8080/; [ $? = 28 ]'
systemctl restart web-nginx.service
eventually "in_host web curl -s -o /dev/null http://127.0.0.1/"
check "after a restart of nginx the shop still answers" 'in_host client curl -s --max-time 3 http://10.0.2.10/ | grep -q "Corp shop"'
exit $failed
