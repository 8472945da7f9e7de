#!/usr/bin/env bash
# Grader: mon reaches port 9100 on web, app and db, and nothing else there (no SSH); the retired
# monitor's address, another operations PC and another server reach no exporter; the admins keep SSH,
# the office its services, the app its database; again after core, app and db reboot.
source /run/opslab-grader/lib.sh
checks() {
  local when=$1
  # What must stay dropped first: these wait out their time-outs beside the checks that follow.
  check_later "$when: the retired monitor's address (10.0.8.5) reaches no exporter" 'all_succeed "host_cannot_connect oldmon 10.0.2.10 9100" "host_cannot_connect oldmon 10.0.2.20 9100" "host_cannot_connect oldmon 10.0.2.30 9100"'
  check_later "$when: another operations PC reaches no exporter" 'all_succeed "host_cannot_connect opspc 10.0.2.10 9100" "host_cannot_connect opspc 10.0.2.30 9100"'
  check_later "$when: the servers reach each other's exporters no more than before (web to app and db)" 'all_succeed "host_cannot_connect web 10.0.2.20 9100" "host_cannot_connect web 10.0.2.30 9100"'
  check_later "$when: mon reaches nothing else on the servers (SSH, the database, the app)" 'all_succeed "host_cannot_connect mon 10.0.2.20 22" "host_cannot_connect mon 10.0.2.30 22" "host_cannot_connect mon 10.0.2.30 5432" "host_cannot_connect mon 10.0.2.20 8080"'
  check "$when: mon scrapes web's exporter" 'host_connects mon 10.0.2.10 9100'
  check "$when: mon scrapes app's exporter" 'host_connects mon 10.0.2.20 9100'
  check "$when: mon scrapes db's exporter" 'host_connects mon 10.0.2.30 9100'
  check "$when: the admins still open SSH on app and db" 'host_connects admin 10.0.2.20 22 && host_connects admin 10.0.2.30 22'
  check "$when: the office still reaches the intranet and the orders app" 'host_connects pc 10.0.2.10 80 && host_connects pc 10.0.2.20 8080'
  check "$when: the orders app still reaches its database" 'host_connects app 10.0.2.30 5432'
}
plug_in oldmon ops 10.0.8.5/24 10.0.8.1
plug_in opspc ops 10.0.8.77/24 10.0.8.1
checks_across_reboot 'host_connects app 127.0.0.1 9100 && host_connects db 127.0.0.1 9100' core app db
finish
