#!/usr/bin/env bash
# Grader: the 20 MB log volume has room again and no deleted file holds any of it; the audit trail (the
# current audit.log and the archived months) is intact and shipd keeps writing it; logrotate, run as the
# daily job would but forced, twice, rotates shipd.log and leaves shipd logging into the new file with no
# deleted file held open; shipments are accepted, after a restart of shipd too.
source /run/opslab-grader/lib.sh
VOLUME=/var/log/shipd
LOG=$VOLUME/shipd.log
AUDIT=$VOLUME/audit.log
AUDIT_BYTES=749325
AUDIT_SHA256=ec6139a4ba8ae8f20c7088d022b40fd2f97dcaa5b7004d81e8f5ce3aff32cb64
df_mb() { df --output="$1" -B1M "$VOLUME" | tail -1 | tr -d ' '; }
deleted_but_open() { find /proc/[0-9]*/fd -lname "$VOLUME/* (deleted)" 2>/dev/null; }
shipd_pid() { systemctl show -p MainPID --value shipd.service; }
# answers: shipd listens and answers (its signal handlers are set by then); a Type=simple unit is active
# before python has started listening, so checks wait on this, never on a fixed sleep.
answers() { curl -sf -m 2 -o /dev/null http://127.0.0.1:8070/health; }
# shipd_holds_log: shipd has the file now at shipd.log open (that inode, not a renamed or deleted one).
shipd_holds_log() {
  local pid fd log
  pid=$(shipd_pid)
  log=$(stat -c %d:%i "$LOG" 2>/dev/null) || return 1
  [ "$pid" != 0 ] || return 1
  for fd in /proc/"$pid"/fd/*; do
    [ "$(stat -L -c %d:%i "$fd" 2>/dev/null)" = "$log" ] && return 0
  done
  return 1
}
log_bytes() { stat -c %s "$LOG" 2>/dev/null || echo 0; }
# logs_into_log: shipd's heartbeat (every 2 s) lands in shipd.log.
logs_into_log() {
  local before
  before=$(log_bytes)
  shipd_holds_log && eventually 8 "[ \$(log_bytes) -gt $before ]"
}
# ships ORDER: shipd accepts a shipment and writes it to the audit log.
ships() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' -m 5 -X POST --data "$1" http://127.0.0.1:8070/ship)" = 201 ] &&
    grep -q "SHIP order=$1 " "$AUDIT"
}
audit_intact() { [ "$(head -c "$AUDIT_BYTES" "$AUDIT" 2>/dev/null | sha256sum | cut -d' ' -f1)" = "$AUDIT_SHA256" ]; }
archives_intact() {
  sha256sum --quiet -c - 2>/dev/null <<SUMS
32bf5792e705a1d25a505f0f80a0117ba6bc50286ca34c4fd6e33bde04ae22cd  $VOLUME/archive/audit-2026-09.log
66a43614348a3c348556322b46c3714f5f7246c036673ceeddfb99cedab84eb6  $VOLUME/archive/audit-2026-10.log
SUMS
}
# rotated_holds MARK: a rotated copy of shipd.log (shipd.log.1, shipd.log.1.gz, shipd.log-DATE...,
# anywhere on the volume) has the line MARK, and shipd.log itself does not.
rotated_holds() {
  local file
  grep -qF "$1" "$LOG" 2>/dev/null && return 1
  while IFS= read -r file; do
    zgrep -qF "$1" "$file" 2>/dev/null && return 0
  done < <(find "$VOLUME" -type f -name 'shipd.log?*')
  return 1
}
# rotation N: the daily logrotate job, forced; a line marked before it must end up in a rotated file.
rotation() {
  local mark="grader-rotation-$1-$RANDOM$RANDOM"
  echo "$(date +%Y-%m-%dT%H:%M:%S) INFO $mark" >>"$LOG"
  doing step "rotating the logs ($1)"
  logrotate -f /etc/logrotate.conf >/dev/null 2>&1
  check "rotation $1: logrotate rotates shipd.log" 'rotated_holds "$mark"'
  check "rotation $1: shipd then logs into the new shipd.log" 'logs_into_log'
  check "rotation $1: no deleted file still holds space on the volume" 'eventually 5 "[ -z \"\$(deleted_but_open)\" ]"'
}
check "the log volume is still 20 MB" '[ "$(df_mb size)" -le 20 ] && [ "$(df_mb size)" -ge 19 ]'
check "the log volume has at least 8 MB free" '[ "$(df_mb avail)" -ge 8 ]'
check "no deleted file still holds space on the volume" '[ -z "$(deleted_but_open)" ]'
check "the audit log's past entries are intact" 'audit_intact'
check "the archived audit logs are intact" 'archives_intact'
check "shipd is running as the shipd account" 'eventually 20 answers && [ "$(stat -c %U "/proc/$(shipd_pid)")" = shipd ]'
check "shipd accepts a shipment and audits it" 'ships SO-GRADE-0001'
check "shipd logs into shipd.log" 'logs_into_log'
rotation 1
rotation 2
check "after the rotations shipd accepts a shipment and audits it" 'ships SO-GRADE-0002'
check "after the rotations the audit log's past entries are intact" 'audit_intact && archives_intact'
restart_unit shipd.service
check "after a restart shipd accepts a shipment and audits it" 'eventually 20 answers && ships SO-GRADE-0003'
check "after a restart shipd logs into shipd.log" 'logs_into_log'
check "logrotate still runs daily" 'enabled_at_boot logrotate.timer'
finish
