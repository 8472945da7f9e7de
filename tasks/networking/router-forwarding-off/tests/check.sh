#!/usr/bin/env bash
# Grader: the office reaches the intranet through the router, unNATed; the guest Wi-Fi stays cut off;
# all of it again after the router and web reboot (a fix made only live does not survive that).
source /run/opslab-grader/lib.sh
checks() {
  local when=$1 mark="probe-$RANDOM$RANDOM"
  check "$when: the office PC opens the intranet" 'host_get client http://10.0.2.10/ | grep -q "Corp intranet"'
  host_get client "http://10.0.2.10/?$mark" >/dev/null
  check "$when: web sees the office PC's own address (no NAT)" 'logged_from /var/log/nginx/web-access.log "$mark" 10.0.1.10'
  check "$when: the office PC pings web" 'host_pings client 10.0.2.10'
  check "$when: the guest Wi-Fi still cannot reach the intranet" '! host_connects guest 10.0.2.10 80'
  check "$when: the guest Wi-Fi still cannot ping web" '! host_pings guest 10.0.2.10'
  check "$when: the guest Wi-Fi still reaches the office LAN" 'host_pings guest 10.0.1.10'
}
checks "now"
reboot_host router web
eventually 30 'host_get web http://127.0.0.1/ >/dev/null'
checks "after router and web reboot"
finish
