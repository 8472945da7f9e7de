#!/usr/bin/env bash
# Grader: office PCs (office and a new one) get the order API and the pages; admins (admin and a new
# one) open SSH on both servers; SSH from the office, the database from the office or the admins, and
# another port of app stay dropped; again after core and app reboot.
source /run/opslab-grader/lib.sh
api() { host_get "$1" http://10.0.2.20:8443/v1/status | grep -q '"status":"ok"'; }
checks() {
  local when=$1
  # What must stay dropped first: these wait out their time-outs beside the checks that follow.
  check_later "$when: SSH to the servers stays dropped from the office (both PCs)" 'all_succeed "host_cannot_connect office 10.0.2.20 22" "host_cannot_connect newoffice 10.0.2.30 22"'
  check_later "$when: the database and app's other ports stay dropped from the office and the admins" 'all_succeed "host_cannot_connect office 10.0.2.30 5432" "host_cannot_connect newadmin 10.0.2.30 5432" "host_unanswered newoffice http://10.0.2.20:8081/"'
  check "$when: the office PC gets the order API on http://10.0.2.20:8443/v1/status" 'api office'
  check "$when: a new office PC gets it too" 'api newoffice'
  check "$when: the office still opens the app's pages" 'host_get office http://10.0.2.20/ | grep -q Orders'
  check "$when: the admin PC opens SSH on app and db" 'host_connects admin 10.0.2.20 22 && host_connects admin 10.0.2.30 22'
  check "$when: a new admin PC opens SSH on app" 'host_connects newadmin 10.0.2.20 22'
  check "$when: the servers still reach the other networks" 'host_pings db 10.0.1.10'
}
plug_in newoffice lan 10.0.1.77/24 10.0.1.1
plug_in newadmin adm 10.0.8.77/24 10.0.8.1
checks_across_reboot 'host_get app http://127.0.0.1/ >/dev/null' core app
finish
