#!/usr/bin/env bash
# Grader: only the metrics agent listens on 8000 (and answers there), ledger listens on 8010 with its
# journal intact, and every client reaches it: nginx's /ledger/, billing's bookings, and the nightly
# roll-up run as cron would run it; all again after a reboot of the four units.
source /run/opslab-grader/lib.sh
JOURNAL=/var/lib/ledger/journal.log
main_pid() { systemctl show -p MainPID --value "$1"; }
# listens_only PORT UNIT: the unit's main process is the one and only listener on TCP PORT.
# NOTE: ss and systemctl only once the port listens: each try of an `eventually` costs them, and the
# services it waits for (python's start) need the VM's one CPU.
listens_only() {
  local pids
  listening "$1" || return 1
  pids=$(ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u)
  [ -n "$pids" ] && [ "$pids" = "$(main_pid "$2")" ]
}
metrics_answers() { curl -s -m 3 http://127.0.0.1:8000/metrics | grep -qx 'telemetrix_up 1'; }
ledger_answers() { [ "$(curl -s -m 3 http://127.0.0.1:8010/health)" = "ledger ok" ]; }
proxy_answers() { [ "$(curl -s -m 3 http://127.0.0.1:8088/ledger/health)" = "ledger ok" ]; }
count() { grep -c -- "$1" "$JOURNAL" 2>/dev/null; }
# books_invoices: billing books a new invoice in the journal (it tries every 3 s).
books_invoices() {
  local before
  before=$(count ' entries billing ')
  eventually 15 "[ \$(count ' entries billing ') -gt $before ]"
}
# rollup_reaches_ledger: the job of /etc/cron.d/ledger-rollup, run as its user in cron's environment,
# adds a roll-up to the journal.
rollup_reaches_ledger() {
  local line user command before
  line=$(awk '!/^[[:space:]]*(#|$)/ && !/^[A-Za-z_]+=/ && NF >= 7 { print; exit }' /etc/cron.d/ledger-rollup 2>/dev/null)
  read -r _ _ _ _ _ user command <<<"$line"
  [ -n "$user" ] && [ -n "$command" ] || return 1
  before=$(count ' rollup rollup ')
  as_user "$user" env -i PATH=/usr/local/bin:/usr/bin:/bin SHELL=/bin/sh HOME=/ LOGNAME="$user" \
    /bin/sh -c "$command" >/dev/null 2>&1
  [ "$(count ' rollup rollup ')" -gt "$before" ]
}
history_intact() {
  local day
  for day in 25 26 27 28 29 30; do
    grep -qxF "2026-11-${day}T02:15:01 rollup rollup close day=2026-11-$(printf %02d $((day - 1)))" "$JOURNAL" || return 1
  done
}
checks() {
  local when=$1
  # NOTE: hopeless once ledger holds port 8000: it keeps the port it started with.
  check "$when: the metrics agent is the only listener on port 8000" \
    'eventually_up metrics-agent.service 10 "listens_only 8000 metrics-agent.service" "listens_only 8000 ledger.service"'
  check "$when: port 8000 serves the metrics" 'metrics_answers'
  check "$when: ledger listens on 8010 and answers" 'eventually_up ledger.service 10 "listens_only 8010 ledger.service" && ledger_answers'
  check "$when: nginx's /ledger/ reaches ledger" 'eventually 5 proxy_answers'
  # NOTE: before billing's wait, which a failure behind it would wait out (15 s where billing reaches
  # another port): the roll-up, the other client that may still call the old port.
  [ "$when" != now ] || check "the nightly roll-up job reaches ledger" 'rollup_reaches_ledger'
  # NOTE: billing books every few seconds: its next booking is awaited beside the checks that follow.
  check_later "$when: billing books its invoices in ledger" 'books_invoices'
}
checks "now"
check "the ledger's past entries are intact" 'history_intact'
check "ledger runs as the ledger account" '[ "$(stat -c %U "/proc/$(main_pid ledger.service)")" = ledger ]'
check "the metrics agent, ledger and billing are enabled at boot" 'enabled_at_boot metrics-agent.service && enabled_at_boot ledger.service && enabled_at_boot billing.service'
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
reboot_unit ledger.service metrics-agent.service billing.service nginx.service
checks "after a reboot"
check "the default site still answers on port 80" '[ "$(http_status http://127.0.0.1/)" = 200 ]'
finish
