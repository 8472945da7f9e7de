#!/usr/bin/env bash
# Grader: the nightly logrotate run (logrotate /etc/logrotate.conf, as logrotate.service runs it) rotates
# invoiced.log, and invoiced logs into the new file; a second (forced) rotation does it again; the last 14
# days of the log are kept; no file of the log is readable by other accounts; invoiced runs as invoiced,
# and logs after a restart too.
source /run/opslab-grader/lib.sh
DIR=/var/log/invoiced
LOG=$DIR/invoiced.log
answers() { curl -sf -m 2 -o /dev/null http://127.0.0.1:8095/health; }
invoice() { curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST --data "$1" http://127.0.0.1:8095/invoice | grep -qx 201; }
# logged ORDER: invoiced logged ORDER's invoice into invoiced.log itself.
logged() { grep -q "issued for order $1\$" "$LOG" 2>/dev/null; }
# rotated_holds ORDER: a rotated file of the log (invoiced.log.1, .2.gz...) has ORDER's line, invoiced.log not.
rotated_holds() {
  local file
  logged "$1" && return 1
  for file in "$DIR"/invoiced.log?*; do
    [ -f "$file" ] && zgrep -q "issued for order $1\$" "$file" 2>/dev/null && return 0
  done
  return 1
}
# kept ORDER: ORDER's line is in a file of the log, rotated (and compressed) or not.
kept() {
  local file
  for file in "$DIR"/invoiced.log*; do [ -f "$file" ] && zcat -f -- "$file" 2>/dev/null; done | grep -q "issued for order $1\$"
}
# closed: no file of the log can be read by accounts outside invoiced, root and adm.
closed() {
  local file
  for file in "$DIR"/invoiced.log*; do
    as_user nobody cat "$file" >/dev/null 2>&1 && return 1
    as_user www-data cat "$file" >/dev/null 2>&1 && return 1
  done
  return 0
}
invoiced_user() { local pid; pid=$(systemctl show -p MainPID --value invoiced.service); [ "$pid" != 0 ] && stat -c %U "/proc/$pid"; }
# The last 14 days: an order from 13 days ago and one from yesterday.
history_kept() { kept SO-411700 && kept SO-416500; }
check "invoiced runs as the invoiced account" 'eventually 20 answers && [ "$(invoiced_user)" = invoiced ]'
check "invoiced logs its invoices" 'invoice GRADE-A && eventually 5 "logged GRADE-A"'
doing step "running the next nightly log rotation"
# NOTE: the next night's run: logrotate's state says invoiced.log was last rotated a day ago (a test run
# today must not make tonight's a no-op).
state=/var/lib/logrotate/status
grep -v "^\"$LOG\" " "$state" >"$state.grader" 2>/dev/null || true
printf '"%s" %s-0:0:3\n' "$LOG" "$(date -d '-1 day' +%Y-%-m-%-d)" >>"$state.grader"
cat "$state.grader" >"$state" && rm -f "$state.grader"
logrotate /etc/logrotate.conf >/dev/null 2>&1
check "the nightly rotation rotates invoiced.log" 'rotated_holds GRADE-A'
check "after the rotation invoiced logs into the new invoiced.log" 'invoice GRADE-B && eventually 5 "logged GRADE-B"'
check "the last 14 days of the log are kept" 'history_kept'
doing step "rotating again (forced)"
logrotate -f /etc/logrotate.conf >/dev/null 2>&1
check "a second rotation rotates invoiced.log" 'rotated_holds GRADE-B'
check "after it invoiced logs into the new invoiced.log" 'invoice GRADE-C && eventually 5 "logged GRADE-C"'
check "after it the last 14 days of the log are kept" 'history_kept && kept GRADE-A'
check "no file of the log is readable by other accounts" 'closed'
restart_unit invoiced.service
check "after a restart invoiced logs into invoiced.log" 'eventually 20 answers && invoice GRADE-D && eventually 5 "logged GRADE-D"'
check "logrotate still runs nightly" 'enabled_at_boot logrotate.timer'
finish
