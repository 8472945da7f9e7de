#!/usr/bin/env bash
# Grader: the volume, still 16 MB, has room again; no deleted file holds its space; every upload is
# intact; ingestd runs and writes its log to the file /srv/data/ingest.log that support can read.
source /run/opslab-grader/lib.sh
VOLUME=/srv/data
LOG=$VOLUME/ingest.log
df_mb() { df --output="$1" -B1M "$VOLUME" | tail -1 | tr -d ' '; }
# Files of the volume that are deleted but still open: space nobody can see or free.
deleted_but_open() { find /proc/[0-9]*/fd -lname "$VOLUME/* (deleted)" 2>/dev/null; }
ingestd_pid() { systemctl show -p MainPID --value ingestd.service; }
# ingestd's main process has the log file itself open (the same inode, not a deleted one).
ingestd_holds_log() {
  local pid fd log
  pid=$(ingestd_pid)
  log=$(stat -c %d:%i "$LOG" 2>/dev/null) || return 1
  [ "$pid" != 0 ] || return 1
  for fd in /proc/"$pid"/fd/*; do
    [ "$(stat -L -c %d:%i "$fd" 2>/dev/null)" = "$log" ] && return 0
  done
  return 1
}
log_bytes() { stat -c %s "$LOG" 2>/dev/null || echo 0; }
check "/srv/data is still a 16 MB volume" '[ "$(df_mb size)" -le 16 ] && [ "$(df_mb size)" -ge 15 ]'
check "/srv/data has at least 8 MB free" '[ "$(df_mb avail)" -ge 8 ]'
check "no deleted file still holds space on /srv/data" '[ -z "$(deleted_but_open)" ]'
check "a 4 MB upload fits" 'dd if=/dev/zero of=$VOLUME/uploads/.probe bs=1M count=4 status=none 2>/dev/null && rm -f $VOLUME/uploads/.probe'
for name in contract-2041 invoice-7731 scan-0098; do
  check "upload $name.pdf is intact" '[ "$(cat $VOLUME/uploads/'"$name"'.pdf 2>/dev/null)" = "customer document '"$name"'" ]'
done
check "ingestd is running" 'systemctl is-active --quiet ingestd.service'
check "ingestd has /srv/data/ingest.log open" 'ingestd_holds_log'
before=$(log_bytes)
# NOTE: ingestd writes a line every 5 s.
check "ingestd's new lines arrive in /srv/data/ingest.log" 'eventually 12 "[ \$(log_bytes) -gt $before ]"'
finish
