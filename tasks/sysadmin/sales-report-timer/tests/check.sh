#!/usr/bin/env bash
# Grader: a timer enabled at boot triggers the sales report and is scheduled again after a reboot of it; the
# report, started as its timer starts it, succeeds and writes yesterday's figures (a marked order added
# now among them) to the share, as the reports account; managers read every report, other accounts can
# neither read the reports nor write to or list the share; the reports from before the move are intact.
source /run/opslab-grader/lib.sh
DIR=/srv/reports/daily
SALES=/var/lib/reports/sales.csv
# total DAY: the sum of DAY's orders in the sales data, as the report prints it.
total() { awk -F, -v day="$1" '$1 == day { all += $3 } END { printf "%.2f", all }' "$SALES"; }
# report_ok DAY: the report of DAY is on the share with DAY's total.
report_ok() { grep -Eq "^TOTAL +$(total "$1") " "$DIR/sales-$1.txt" 2>/dev/null; }
timers() { systemctl show -p TriggeredBy --value sales-report.service | tr ' ' '\n' | grep '\.timer$'; }
enabled_timer() {
  local timer
  for timer in $(timers); do enabled_at_boot "$timer" && return 0; done
  return 1
}
scheduled() {
  local timer
  for timer in $(timers); do
    systemctl is-active --quiet "$timer" && [ -n "$(systemctl show -p NextElapseUSecRealtime --value "$timer")" ] && return 0
  done
  return 1
}
reports_readable_by() {
  local file
  for file in "$DIR"/sales-*.txt; do runuser -u "$1" -- cat "$file" >/dev/null 2>&1 || return 1; done
}
reports_hidden_from() {
  local file
  for file in "$DIR"/sales-*.txt; do ! runuser -u "$1" -- cat "$file" >/dev/null 2>&1 || return 1; done
  ! runuser -u "$1" -- ls "$DIR" >/dev/null 2>&1 && ! runuser -u "$1" -- test -w "$DIR"
}
check "a timer triggers the sales report and is enabled at boot" 'enabled_timer'
mapfile -t units < <(timers)
((${#units[@]})) && reboot_unit "${units[@]}"
check "after a reboot the report's timer is active and scheduled" 'scheduled'
yesterday=$(date -d yesterday +%F)
region="grader$RANDOM"
echo "$yesterday,$region,1234.56" >>"$SALES"
doing step "starting the report as its timer does"
timeout 60 systemctl start sales-report.service >/dev/null 2>&1
started=$?
check "the report succeeds when its timer starts it" '[ $started = 0 ] && [ "$(systemctl show -p Result --value sales-report.service)" = success ]'
check "yesterday's report is on the share with its orders" 'report_ok "$yesterday" && grep -Eq "^$region +1234\.56$" "$DIR/sales-$yesterday.txt"'
check "the report is written by the reports account" '[ "$(stat -c %U "$DIR/sales-$yesterday.txt" 2>/dev/null)" = reports ]'
check "managers (mia) can read every report" 'reports_readable_by mia'
check "other accounts cannot read the reports, list or write to the share" 'reports_hidden_from nobody'
check "the reports from before the move are intact" '(for d in 14 13 12 11 10 9 8 7; do report_ok "$(date -d "-$d days" +%F)" || exit 1; done)'
finish
