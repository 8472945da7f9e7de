#!/usr/bin/env bash
# Grader: the branch reaches the intranet with its own address, the head office and the branch reach
# each other; again after core, web and vpn reboot.
source /run/opslab-grader/lib.sh
intranet() { host_get "$1" http://10.0.2.10/ | grep -q "Corp intranet"; }
checks() {
  local when=$1 mark="probe-$RANDOM$RANDOM"
  check "$when: the branch PC opens the intranet" 'intranet branch'
  host_get branch "http://10.0.2.10/?$mark-branch" >/dev/null
  check "$when: the intranet logs the branch PC's own address" 'logged_from /var/log/nginx/web-access.log "$mark-branch" 10.0.5.10'
  check "$when: the head office PC pings the branch PC" 'host_pings client 10.0.5.10'
  check "$when: the branch PC pings the head office PC" 'host_pings branch 10.0.1.10'
  check "$when: the head office still opens the intranet" 'intranet client'
  host_get client "http://10.0.2.10/?$mark-office" >/dev/null
  check "$when: the intranet logs the head office PC's own address" 'logged_from /var/log/nginx/web-access.log "$mark-office" 10.0.1.10'
}
checks "now"
reboot_host core web vpn
eventually 30 'host_get web http://127.0.0.1/ >/dev/null'
checks "after core, web and vpn reboot"
finish
