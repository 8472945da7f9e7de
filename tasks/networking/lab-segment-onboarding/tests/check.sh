#!/usr/bin/env bash
# Grader: lab PCs (lab1 and a new one) open the intranet with their own address in its log; the office
# (pc and a new PC) pings and connects to the lab; the lab reaches nothing else (the office, the
# database, web's other ports); the office keeps the intranet and the database, web's metrics stay
# closed; again after fw, labgw and web reboot.
source /run/opslab-grader/lib.sh
intranet() { host_get "$1" http://10.0.2.10/ | grep -q "Corp intranet"; }
checks() {
  local when=$1
  check "$when: lab1 opens the intranet" 'intranet lab1'
  check "$when: a new lab PC opens the intranet" 'intranet newlab'
  check "$when: the intranet logs lab1's own address" 'seen_from lab1 http://10.0.2.10/ /var/log/nginx/web-access.log 10.0.3.10'
  check "$when: the office PC pings lab1 and opens SSH on it" 'host_pings pc 10.0.3.10 && host_connects pc 10.0.3.10 22'
  check "$when: a new office PC opens SSH on lab1" 'host_connects newpc 10.0.3.10 22'
  check_later "$when: the lab reaches nothing else: not the database, not the office, not web's other ports" 'all_succeed "host_cannot_connect lab1 10.0.2.30 5432" "host_cannot_connect newlab 10.0.2.30 5432" "host_unanswered lab1 http://10.0.1.10:22/" "host_unanswered newlab http://10.0.2.10:9100/"'
  check "$when: the office still opens the intranet and the database" 'intranet pc && host_connects pc 10.0.2.30 5432'
  check_later "$when: web's metrics stay closed to the office" 'host_unanswered pc http://10.0.2.10:9100/'
}
plug_in newlab lab 10.0.3.77/24 10.0.3.1
plug_in newpc lan 10.0.1.77/24 10.0.1.1
checks_across_reboot 'host_get web http://127.0.0.1/ >/dev/null' fw labgw web
finish
