#!/usr/bin/env bash
# Grader: the sessions volume is the one it was (its size, its inodes) and still where shopd keeps its
# sessions; the sessions of the customers active in the last day are kept and still log them in, the stale
# ones are gone; a new customer logs in; the hourly clean-up, run by its timer's unit, removes sessions idle
# for more than a day and keeps the others; shopd logs customers in after a reboot of it too.
source /run/opslab-grader/lib.sh
VOLUME=/srv/sessions
# Sessions setup made: active in the last 22 hours (from 6 minutes to 22 hours ago), and idle for days.
ACTIVE=(34ac9bd37ce3ca0b06648e1882190eec f9f1786254f89916946bc4a042064c73 0397352a47c727b2cc1a41b47956cfab
  c7e2fedbd7889a3123904531aa6bcd66 e51bc2abee1a36220f65ee58fb9a3aea dde4c8572d90152b65cde136d1b80f61
  ea9b4a1346ff3faa83dcd8c28d98d420)
STALE=(42f3edab2103f3d767d5b355380f4b74 1a4421b4a0cf12bb454153c86a840e8d 4dd9fe2304b2d699ec70114a321a37d9
  1b9e3c607e2cb8747a8884fccaa54690 2eae594e008f3b5191800ee24932e970)
answers() { curl -sf -m 2 -o /dev/null http://127.0.0.1:8077/health; }
# logged_in SESSION: shopd knows SESSION (the customer stays logged in).
logged_in() { [ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:8077/session/$1")" = 200 ]; }
# logs_in_new CUSTOMER: a customer logs in, and the session shopd gave works.
logs_in_new() {
  local sid
  sid=$(curl -s -m 5 -X POST --data "$1" http://127.0.0.1:8077/login | sed -n 's/.*"session": "\([0-9a-f]*\)".*/\1/p')
  [ -n "$sid" ] && [ -f "$VOLUME/sess_$sid" ] && logged_in "$sid"
}
# all_logged_in: every one of ACTIVE's sessions still logs its customer in (one curl for them all).
all_logged_in() {
  local sid args=()
  for sid in "${ACTIVE[@]}"; do args+=(-o /dev/null "http://127.0.0.1:8077/session/$sid"); done
  [ "$(curl -s -m 10 -w '%{http_code}\n' "${args[@]}" | grep -cx 200)" = "${#ACTIVE[@]}" ]
}
none_left() { local sid; for sid in "${STALE[@]}"; do [ ! -e "$VOLUME/sess_$sid" ] || return 1; done; }
volume_intact() {
  [ "$(findmnt -n -o FSTYPE,SOURCE "$VOLUME" | tr -s ' ')" = "tmpfs shop-sessions" ] &&
    [ "$(stat -f -c '%c %b %S' "$VOLUME")" = "1200 16384 4096" ] &&
    [ "$(findmnt -n -o TARGET --target "$(readlink -f /var/lib/shopd/sessions)")" = "$VOLUME" ]
}
free_inodes() { stat -f -c %d "$VOLUME"; }
shopd_user() { local pid; pid=$(systemctl show -p MainPID --value shopd.service); [ "$pid" != 0 ] && stat -c %U "/proc/$pid"; }
check "the sessions volume is as it was (64 MB, 1200 inodes), where shopd keeps its sessions" 'volume_intact'
check "shopd runs as the shopd account" 'eventually 20 answers && [ "$(shopd_user)" = shopd ]'
check "the customers active in the last day are still logged in" 'all_logged_in'
check "the sessions idle for days are gone" 'none_left && [ "$(free_inodes)" -ge 900 ]'
check "a new customer logs in" 'logs_in_new C-GRADE-1'
# The next hour: sessions that went idle more than a day ago, and one used an hour ago.
doing step "running the hourly clean-up as its timer would"
stamp=$RANDOM$RANDOM
for age in "-25 hours" "-3 days"; do
  f="$VOLUME/sess_0000${stamp}${age//[^0-9]/}"
  echo C-OLD >"$f" && chown shopd:shopd "$f" && touch -d "$age" "$f"
done
fresh="$VOLUME/sess_1111${stamp}"
echo C-NEW >"$fresh" && chown shopd:shopd "$fresh" && touch -d "-1 hour" "$fresh"
gc=$(systemctl show -p Unit --value shopd-session-gc.timer 2>/dev/null)
systemctl start "${gc:-shopd-session-gc.service}" >/dev/null 2>&1
check "the clean-up removes the sessions idle for more than a day" '[ -z "$(find "$VOLUME/" -name "sess_0000${stamp}*" -print -quit)" ]'
check "the clean-up keeps the sessions used in the last day" '[ -f "$fresh" ] && all_logged_in'
check "the clean-up runs hourly from its timer" 'enabled_at_boot shopd-session-gc.timer'
reboot_unit shopd.service
check "after a reboot of shopd a customer logs in" 'eventually 20 answers && logs_in_new C-GRADE-2'
finish
