#!/usr/bin/env bash
# Grader: reportd answers, runs unprivileged as its own account, survives a restart, starts at boot.
answers() {
  for _ in $(seq 1 15); do
    [ "$(curl -s http://127.0.0.1:9090/)" = "reportd ok" ] && return 0
    sleep 1
  done
  return 1
}
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
pid() { systemctl show -p MainPID --value reportd.service; }
check "reportd answers on 127.0.0.1:9090" 'answers'
check "reportd does not run as root" '[ "$(pid)" != 0 ] && [ "$(stat -c %u /proc/$(pid))" != 0 ]'
check "reportd runs as the reportd account" '[ "$(ps -o user= -p "$(pid)" | tr -d " ")" = reportd ]'
check "the reportd account cannot log in" 'case "$(getent passwd reportd | cut -d: -f7)" in */nologin|*/false) true;; *) false;; esac'
check "reportd is enabled at boot" '[ "$(systemctl is-enabled reportd.service)" = enabled ]'
systemctl restart reportd.service
check "after a restart reportd answers again" 'answers'
exit $failed
