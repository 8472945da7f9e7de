#!/usr/bin/env bash
# Grader: the office reaches the intranet through the router, unNATed; the guest Wi-Fi stays cut off;
# all of it again after the router and web reboot (a fix made only live does not survive that).
source /run/opslab-grader/lib.sh
checks() {
  local when=$1
  check_later "$when: the guest Wi-Fi still cannot reach the intranet" 'host_cannot_connect guest 10.0.2.10 80'
  check_later "$when: the guest Wi-Fi still cannot ping web" 'host_cannot_ping guest 10.0.2.10'
  check "$when: the office PC opens the intranet" 'host_get client http://10.0.2.10/ | grep -q "Corp intranet"'
  check "$when: web sees the office PC's own address (no NAT)" 'seen_from client http://10.0.2.10/ /var/log/nginx/web-access.log 10.0.1.10'
  check "$when: the office PC pings web" 'host_pings client 10.0.2.10'
  check "$when: the guest Wi-Fi still reaches the office LAN" 'host_pings guest 10.0.1.10'
}
checks_across_reboot 'host_get web http://127.0.0.1/ >/dev/null' router web
finish
