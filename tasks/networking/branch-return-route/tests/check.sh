#!/usr/bin/env bash
# Grader: the branch reaches the intranet with its own address, the head office and the branch reach
# each other; again after core, web and vpn reboot.
source /run/opslab-grader/lib.sh
intranet() { host_get "$1" http://10.0.2.10/ | grep -q "Corp intranet"; }
checks() {
  local when=$1
  check "$when: the branch PC opens the intranet" 'intranet branch'
  check "$when: the intranet logs the branch PC's own address" 'seen_from branch http://10.0.2.10/ /var/log/nginx/web-access.log 10.0.5.10'
  check "$when: the head office PC pings the branch PC" 'host_pings client 10.0.5.10'
  check "$when: the branch PC pings the head office PC" 'host_pings branch 10.0.1.10'
  check "$when: the head office still opens the intranet" 'intranet client'
  check "$when: the intranet logs the head office PC's own address" 'seen_from client http://10.0.2.10/ /var/log/nginx/web-access.log 10.0.1.10'
}
checks_across_reboot 'host_get web http://127.0.0.1/ >/dev/null' core web vpn
finish
