#!/usr/bin/env bash
# Grader: partners (the one in the ticket and a new one) get the API on 203.0.113.1:9000 with their own
# address in its log, the LAN on 10.0.2.20:9000; the order sync's own requests succeed again;
# port 8080 answers no one from the Internet and no one in the LAN but mon, api's other ports and the
# rest of the LAN stay dropped; again after gw, api and batch reboot.
source /run/opslab-grader/lib.sh
log=/var/log/nginx/api-access.log
orders() { host_get "$1" "$2" | grep -q '"orders":\[{"id":1041'; }
# orders_sync_200s: how many pulls of the orders from batch's address by the order sync the API answered.
orders_sync_200s() { grep -c '^10\.0\.2\.30 .*"GET /v1/orders HTTP/1\.1" 200 .*"orders-sync/' "$log"; }
# sync_pulls: the order sync (which reads its settings before each pull) gets the orders again.
sync_pulls() {
  local before
  before=$(orders_sync_200s)
  eventually 15 '[ "$(orders_sync_200s)" -gt '"$before"' ]'
}
checks() {
  local when=$1
  # What must stay closed first: these wait out their time-outs beside the checks that follow.
  check_later "$when: port 8080 is closed to the Internet (203.0.113.1:8080 and 10.0.2.20:8080, from both partners)" 'all_succeed "host_cannot_connect partner 203.0.113.1 8080" "host_cannot_connect newpartner 203.0.113.1 8080" "host_cannot_connect partner 10.0.2.20 8080"'
  check_later "$when: the metrics stay closed to the LAN but mon (batch, a new LAN host)" 'all_succeed "host_cannot_connect batch 10.0.2.20 8080" "host_cannot_connect newlan 10.0.2.20 8080"'
  check_later "$when: api's other ports stay dropped (no answer from the LAN)" 'host_unanswered newlan http://10.0.2.20:8081/'
  check_later "$when: the rest of the LAN stays closed to the Internet" 'all_succeed "host_unanswered partner http://10.0.2.30:22/" "host_unanswered newpartner http://10.0.2.5:22/"'
  check "$when: the partner gets the orders on http://203.0.113.1:9000/v1/orders" 'orders partner http://203.0.113.1:9000/v1/orders'
  check "$when: a new partner gets them too" 'orders newpartner http://203.0.113.1:9000/v1/orders'
  check "$when: the API's log shows the partner's own address" 'seen_from partner http://203.0.113.1:9000/v1/orders "$log" 203.0.113.50'
  check "$when: the LAN gets the orders on http://10.0.2.20:9000/v1/orders" 'orders newlan http://10.0.2.20:9000/v1/orders'
  # NOTE: the sync pulls every 3 s: its next pull is awaited beside the checks that follow.
  check_later "$when: the order sync on batch pulls the orders" 'sync_pulls'
  check "$when: mon still gets the metrics on 10.0.2.20:8080" 'host_get mon http://10.0.2.20:8080/metrics | grep -q orders_api_up'
  check "$when: the LAN still reaches the Internet" 'host_pings batch 203.0.113.50'
}
plug_in newpartner wan 203.0.113.77/24 203.0.113.1
plug_in newlan lan 10.0.2.77/24 10.0.2.1
checks_across_reboot 'host_get api http://127.0.0.1:9000/v1/orders >/dev/null' gw api batch
finish
