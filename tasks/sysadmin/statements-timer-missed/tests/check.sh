#!/usr/bin/env bash
# Grader: December's statements went out, one per customer, the earlier months' untouched; after a reboot
# of the timer, the timers that start the statements fire at 07:00 on the 1st of each month and at no
# other time, catch a missed run up (Persistent=), and the service they start sends every statement.
source /run/opslab-grader/lib.sh
SENT=/var/log/statements/sent.log
customers=$(printf 'CUST-%03d\n' $(seq 101 124))
# once_each MONTH: sent.log and the outbox hold exactly one statement of MONTH for every customer.
once_each() {
  [ "$(awk -v month="$1" '$3 == "sent" && $4 == month { print $5 }' "$SENT" | sort)" = "$customers" ] &&
    [ "$(find "/var/spool/statements/outbox/$1" -name "STMT-*-$1-*.txt" -printf '%f\n' 2>/dev/null |
      sed 's/^STMT-\(CUST-[0-9]*\)-.*/\1/' | sort)" = "$customers" ]
}
check "December's statements went out, exactly one per customer" 'once_each 2026-12'
check "the earlier months' statements are untouched" 'once_each 2026-09 && once_each 2026-10 && once_each 2026-11'
check "monthly-statements.timer is enabled at boot" 'enabled_at_boot monthly-statements.timer'
reboot_unit monthly-statements.timer
service=$(systemctl show -p Triggers --value monthly-statements.timer)
# timers: every timer that starts the statements' service.
mapfile -t timers < <(systemctl show -p TriggeredBy --value "$service" 2>/dev/null | tr ' ' '\n' | grep .)
# elapses: the next 3 times the timers fire, from now (December 2026), in one sorted list.
elapses() {
  local timer spec
  for timer in "${timers[@]}"; do
    systemctl show -p TimersCalendar --value "$timer" | grep -o 'OnCalendar=[^;]*' | sed 's/^OnCalendar=//; s/ *$//' |
      while read -r spec; do
        systemd-analyze calendar --iterations=3 "$spec" 2>/dev/null | grep -E '^ *(Next elapse|Iter\. #[0-9]+):' |
          grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
      done
  done | sort -u | head -n 3 | tr '\n' ' '
}
monotonic() { local timer; for timer in "${timers[@]}"; do systemctl show -p TimersMonotonic --value "$timer"; done | grep -q 'On[A-Za-z]*USec='; }
check "after a reboot the timer starts the statements' service (send-statements, as billing)" \
  '[ -n "$service" ] && systemctl show -p ExecStart --value "$service" | grep -q "path=/usr/local/bin/send-statements " && [ "$(systemctl show -p User --value "$service")" = billing ]'
check "after a reboot the statements fire at 07:00 on the 1st of each month, and at no other time" \
  '[ "${#timers[@]}" -gt 0 ] && [ "$(elapses)" = "2027-01-01 07:00:00 2027-02-01 07:00:00 2027-03-01 07:00:00 " ] && ! monotonic'
check "a run missed while the server is down is made up when it is back (Persistent)" \
  '[ "${#timers[@]}" -gt 0 ] && [ -z "$(systemctl show -p Persistent --value "${timers[@]}" | grep -vxE "yes|")" ]'
check "the timer is waiting for its next run" 'systemctl is-active --quiet monthly-statements.timer'
doing step "starting the statements' service as its timer does on the 1st"
before=$(wc -l <"$SENT")
[ -z "$service" ] || systemctl start "$service" >/dev/null 2>&1
check "the statements' service sends every customer's statement" '[ "$(( $(wc -l <"$SENT") - before ))" = 24 ] && [ "$(systemctl show -p Result --value "$service")" = success ]'
finish
