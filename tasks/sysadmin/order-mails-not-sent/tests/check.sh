#!/usr/bin/env bash
# Grader: the server is booted as a boot would do it (courierd stopped, /run/courier gone, what tmpfiles.d
# asks for made, the units enabled at boot started): the shop queues a mail through courierd's socket; the
# quarter-hourly digest runs as its timer would start it, reports the queue, and the shop can still queue
# mail after it (courierd's start from nothing at the boot stands for its restarts too). Accounts outside
# the courier group can neither write the runtime folder nor use the socket; last week's queue is kept.
source /run/opslab-grader/lib.sh
SOCKET=/run/courier/courierd.sock
# send USER: USER queues a marked mail through the socket; its id is left in $sent.
send() {
  local answer mark=grade-$RANDOM$RANDOM
  answer=$(as_user "$1" curl -s --max-time 5 --unix-socket "$SOCKET" -H 'Content-Type: application/json' \
    -d "{\"to\": \"$mark@example.org\", \"subject\": \"probe\", \"body\": \"$mark\"}" http://courierd/v1/messages)
  sent=$(sed -n 's/.*"id": "\([^"]*\)", "status": "queued".*/\1/p' <<<"$answer")
  [ -n "$sent" ] && grep -qF "$mark" "/var/spool/courier/queue/$sent.json" 2>/dev/null
}
# NOTE: one systemctl for all the units wherever the order does not matter: each start of systemctl costs
# 0.1 to 0.2 s in the VM.
UNITS=(courierd.service courier-digest.service courier-digest.timer)
boot() {
  doing step "rebooting: courierd stops, /run is emptied, tmpfiles.d is applied, the units enabled at boot start"
  forget_runtime_config "${UNITS[@]}"
  systemctl stop "${UNITS[@]}" 2>/dev/null
  rm -rf /run/courier
  systemd-tmpfiles --create --prefix=/run/courier >/dev/null 2>&1
  if [ "$(head -n 1 <<<"$enabled")" = enabled ]; then systemctl start courierd.service >/dev/null 2>&1; fi
  # NOTE: systemd counts a unit's restarts from 0 again when it is started after a stop.
  RESTARTS_AT_START[courierd.service]=0
}
enabled=$(systemctl is-enabled courierd.service courier-digest.timer 2>/dev/null)
check "courierd and the digest's timer start at boot" '[ "$(sort -u <<<"$enabled")" = enabled ]'
boot
# NOTE: courierd alone makes its socket: no waiting for it once courierd has failed or is stopped.
check "after a reboot the shop queues mail through courierd" 'eventually_up courierd.service 15 "[ -S $SOCKET ]" && eventually 5 "send shop"'
check "other accounts cannot write courierd's runtime folder or use its socket" '! as_user nobody touch /run/courier/probe 2>/dev/null && ! as_user www-data curl -s --max-time 3 --unix-socket "$SOCKET" http://courierd/v1/health >/dev/null'
doing step "running the digest as its timer does"
before=$sent
systemctl start courier-digest.service >/dev/null 2>&1
check "the digest runs and reports the queue" '[ "$(systemctl show -p Result --value courier-digest.service)" = success ] && grep -qF "\"last_id\": \"$before\"" /var/lib/courier/digest.json'
check "after the digest the shop still queues mail" 'send shop'
check "the mails queued before are still queued" '[ "$(grep -l -e "\"orders+[123]@example.org\"" /var/spool/courier/queue/*.json 2>/dev/null | wc -l)" = 3 ]'
systemctl start courier-digest.timer 2>/dev/null
finish
