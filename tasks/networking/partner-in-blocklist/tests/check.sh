#!/usr/bin/env bash
# Grader: Northwind's servers (partner and a new one in its range) and Contoso call the API and it logs
# their own addresses; the attack ranges stay blocked (two addresses in them, and edge does not answer
# them either), a stranger gets no API; the API server still reaches out; again after edge and api
# reboot.
source /run/opslab-grader/lib.sh
# calls HOST ADDRESS: HOST gets the API's ping, and the API logs that very request (marked) from ADDRESS.
calls() {
  local mark="probe-$RANDOM$RANDOM"
  host_get "$1" "http://203.0.113.2:8080/v1/ping?$mark" | grep -q '"status":"ok"' && logged_from /var/log/nginx/api-access.log "$mark" "$2"
}
checks() {
  local when=$1
  check_later "$when: the attack ranges stay blocked (198.51.100.10 and 198.51.100.200: no API, no ping)" 'all_succeed "host_cannot_connect attack1 203.0.113.2 8080" "host_cannot_connect attack2 203.0.113.2 8080" "host_cannot_ping attack1 203.0.113.2" "host_cannot_ping attack2 203.0.113.2"'
  check_later "$when: a stranger on the Internet gets no API" 'host_cannot_connect stranger 203.0.113.2 8080'
  check "$when: Northwind's server calls the API, and the API logs its own address" 'calls partner 198.51.100.70'
  check "$when: another Northwind server (198.51.100.99) does too" 'calls northwind2 198.51.100.99'
  check "$when: Contoso still calls the API, with its own address logged" 'calls contoso 192.0.2.40'
  check "$when: the API server still reaches the Internet" 'host_pings api 192.0.2.40 && host_pings api 198.51.100.70'
}
plug_in northwind2 inet 198.51.100.99/24 198.51.100.1
plug_in attack1 inet 198.51.100.10/24 198.51.100.1
plug_in attack2 inet 198.51.100.200/24 198.51.100.1
plug_in stranger up 203.0.113.5/29 203.0.113.1
checks_across_reboot 'host_get api http://127.0.0.1:8080/v1/ping >/dev/null' edge api
finish
