#!/usr/bin/env bash
# Grader: after a reboot of cron, the hourly export is scheduled, as the stock account only, in a crontab
# cron reads (its owner, mode, name and final newline); the job is run as cron runs it (its user, cron's
# environment and the crontab's variables, % as cron reads it): this hour's stock-YYYYMMDD-HH.csv holds the
# stock levels as they are now, readable by the partner's group and by no other account.
source /run/opslab-grader/lib.sh
OUTBOX=/srv/partner-drop/outbox
# exported_now: this hour's file (or, across an hour's turn, the next one's) holds the levels as they are now.
exported_now() {
  local file
  for file in "$OUTBOX/stock-$before.csv" "$OUTBOX/stock-$(date +%Y%m%d-%H).csv"; do
    [ -f "$file" ] && grep -q "^SKU-GRADE-$mark,HAM-1,4242," "$file" && { exported=$file; return 0; }
  done
  return 1
}
reboot_unit cron.service
check "cron runs and starts at boot" 'systemctl is-active --quiet cron.service && enabled_at_boot cron.service'
scheduled=$(cron_jobs stock-export)
check "the export is scheduled in a crontab cron reads" '[ -n "$scheduled" ]'
check "the export is scheduled as the stock account only" '[ -n "$scheduled" ] && [ -z "$(cut -f1 <<<"$scheduled" | grep -vx stock)" ]'
mark=$RANDOM$RANDOM
echo "SKU-GRADE-$mark|HAM-1|4242" >>/srv/stock/levels.db
before=$(date +%Y%m%d-%H)
doing step "running this hour's export as cron would"
while IFS=$'\t' read -r user vars command; do run_cron_job "$user" "$vars" "$command"; done < <(grep . <<<"$scheduled")
exported=
check "this hour's stock-YYYYMMDD-HH.csv holds the stock levels as they are now" 'exported_now'
check "the file is the stock account's, readable by the partner's group" '[ -n "$exported" ] && [ "$(stat -c %U "$exported")" = stock ] && as_user acmesftp cat "$exported" >/dev/null 2>&1'
check "other accounts cannot read it" '[ -n "$exported" ] && ! as_user nobody cat "$exported" >/dev/null 2>&1 && ! as_user www-data cat "$exported" >/dev/null 2>&1'
finish
