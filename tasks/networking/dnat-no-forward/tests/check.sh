#!/usr/bin/env bash
# Grader: customers reach the shop through the port forward, unmasqueraded; nothing else of the LAN opens.
in_host() { local host=$1; shift; ip netns exec "$host" "$@"; }
fetch() { in_host "$1" curl -s --max-time 3 "$2"; }
closed() { in_host customer curl -s --max-time 2 "$1" >/dev/null; [ $? != 0 ]; }
eventually() { for _ in $(seq 1 20); do eval "$1" && return 0; sleep 0.5; done; return 1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
probe="probe-$RANDOM$RANDOM"
check "a customer opens the shop on http://203.0.113.1:8080/" 'fetch customer http://203.0.113.1:8080/ | grep -q "Corp shop"'
fetch customer "http://203.0.113.1:8080/?$probe" >/dev/null
check "the shop sees the customer's own address" 'grep "$probe" /var/log/nginx/app-access.log | grep -q "^203\.0\.113\.50 "'
check "the back office (10.0.2.20:8081) stays closed to the Internet" 'closed http://10.0.2.20:8081/ && closed http://203.0.113.1:8081/'
check "the gateway does not serve the shop itself" '! in_host gw ss -Hltn | grep -q ":8080 "'
check "the LAN still reaches the Internet" 'in_host app ping -c 1 -W 3 203.0.113.50 >/dev/null'
systemctl restart app-nginx.service
eventually "fetch app http://127.0.0.1/ >/dev/null"
check "after a restart of the shop customers still open it" 'fetch customer http://203.0.113.1:8080/ | grep -q "Corp shop"'
exit $failed
