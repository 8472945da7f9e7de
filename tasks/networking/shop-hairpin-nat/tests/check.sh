#!/usr/bin/env bash
# Grader: tills (till and a new one) open the shop at its public address and the shop logs their own
# addresses; customers keep the shop; the office still browses outside sites and the back office; the
# DMZ stays closed to the Internet beyond the shop; again after gw reboots.
source /run/opslab-grader/lib.sh
# visits HOST ADDRESS: HOST opens the shop at its public address, and the shop logs that very request
# (marked) from ADDRESS: who the shop saw, after any NAT on the way.
visits() {
  local mark="probe-$RANDOM$RANDOM"
  host_get "$1" "http://203.0.113.1/?$mark" | grep -q "Corp shop" && logged_from /var/log/nginx/shop-access.log "$mark" "$2"
}
checks() {
  local when=$1
  check_later "$when: the Internet reaches nothing else of the DMZ (the back office, directly or on the public address)" 'all_succeed "host_cannot_connect ext 10.0.2.20 8081" "host_cannot_connect ext 203.0.113.1 8081"'
  check "$when: the till opens the shop at http://203.0.113.1/, and the shop logs the till's own address" 'visits till 10.0.1.21'
  check "$when: a new till does too" 'visits newtill 10.0.1.77'
  check "$when: a customer on the Internet still opens the shop, and the shop logs the customer's address" 'visits ext 203.0.113.50'
  check "$when: the office still browses outside sites (the supplier portal on 203.0.113.50)" 'host_get newtill http://203.0.113.50/ | grep -q "Supplier portal"'
  check "$when: the office still opens the shop's back office" 'host_get till http://10.0.2.20:8081/ | grep -q "back office"'
}
plug_in newtill lan 10.0.1.77/24 10.0.1.1
checks_across_reboot 'host_get ext http://203.0.113.1/ >/dev/null' gw
finish
