#!/usr/bin/env bash
# Grader: customers (client and a new one) get API v2 from app2 and API v1 from app1 through the edge
# proxy, each server's audit log showing the customer's own address; the application servers are as the
# app team left them (their files, and how app2 answers); the application segment stays closed to the
# DMZ but for the proxy's API calls, and to the Internet; again after gw and core reboot.
source /run/opslab-grader/lib.sh
v2() { host_get "$1" http://203.0.113.1/v2/cart/42 | grep -q '"api":"v2"'; }
v1() { host_get "$1" http://203.0.113.1/v1/cart/42 | grep -q '"api":"v1"'; }
untouched() {
  sha256sum --status -c - <<'SUMS'
f8dc74884e0a809e977d61597357af93b7fa346bd278d21c92e41cf8274fb4dc  /etc/netns/app1/nginx/nginx.conf
b5827bff91b28179e8f18aeb0c87c9ff9b84d9f62486f174b3b65e6f9b6a60f1  /etc/netns/app2/nginx/nginx.conf
SUMS
}
checks() {
  local when=$1
  # What must stay closed first: these wait out their time-outs beside the checks that follow.
  check_later "$when: the application segment stays closed to the DMZ but for the proxy's API calls (app1 to the API, gw to another port)" 'all_succeed "host_unanswered app1 http://10.0.4.20:8080/" "host_unanswered gw http://10.0.4.20:22/"'
  check_later "$when: the application segment stays closed to the Internet" 'all_succeed "host_cannot_connect client 10.0.4.20 8080" "host_cannot_connect newclient 10.0.2.20 8080"'
  check "$when: the customer gets API v2 (app2) on http://203.0.113.1/v2/cart/42" 'v2 client'
  check "$when: a new customer gets it too" 'v2 newclient'
  check "$when: app2's log shows the customer's own address" 'seen_from newclient http://203.0.113.1/v2/cart/42 /var/log/nginx/app2-access.log 203.0.113.77'
  check "$when: customers still get API v1 from app1" 'v1 client && v1 newclient'
  check "$when: app1's log still shows the customer's own address" 'seen_from client http://203.0.113.1/v1/cart/42 /var/log/nginx/app1-access.log 203.0.113.50'
}
plug_in newclient wan 203.0.113.77/24 203.0.113.1
check "the application servers' configuration is the app team's" 'untouched'
check "app2 still serves only its own name (421 for others, v2 for api-v2.apps.internal)" 'host_get core http://10.0.4.20:8080/v2/cart/42 | grep -q misdirected && host_get core http://10.0.4.20:8080/v2/cart/42 -H "Host: api-v2.apps.internal" | grep -q "\"api\":\"v2\""'
checks_across_reboot 'host_get gw http://127.0.0.1/v1/cart/1 >/dev/null' gw core
finish
