#!/usr/bin/env bash
# Grader: after a reboot of cron, the hourly export is scheduled, as the stock account only, in a crontab
# cron reads (its owner, mode, name and final newline); the job is run as cron runs it (its user, cron's
# environment and the crontab's variables, % as cron reads it): this hour's stock-YYYYMMDD-HH.csv holds the
# stock levels as they are now, readable by the partner's group and by no other account.
source /run/opslab-grader/lib.sh
OUTBOX=/srv/partner-drop/outbox
# accepted CRONTAB [OWNER]: cron reads CRONTAB: a file of OWNER (root for system crontabs) that no one else
# can write, whose last line ends with a newline (Debian cron: "Missing newline before EOF, this crontab
# file will be ignored").
accepted() {
  local file=$1 owner=${2-root}
  [ -f "$file" ] && [ -s "$file" ] && [ "$(stat -L -c %U "$file")" = "$owner" ] &&
    (((8#$(stat -L -c %a "$file") & 8#022) == 0)) && [ -z "$(tail -c 1 "$file")" ]
}
# crontabs: "FILE<TAB>OWNER<TAB>system|user" for every crontab cron accepts.
crontabs() {
  local file name
  for file in /etc/crontab /etc/cron.d/*; do
    name=${file##*/}
    [[ $name =~ ^[A-Za-z0-9_-]+$ ]] && accepted "$file" && printf '%s\troot\tsystem\n' "$file"
  done
  for file in /var/spool/cron/crontabs/*; do
    name=${file##*/}
    getent passwd "$name" >/dev/null && accepted "$file" "$name" && printf '%s\t%s\tuser\n' "$file" "$name"
  done
}
# export_jobs: "USER<TAB>VARIABLES (separated by \x1f)<TAB>COMMAND" for each scheduled line that runs stock-export.
export_jobs() {
  local file owner kind
  while IFS=$'\t' read -r file owner kind; do
    awk -v owner="$owner" -v kind="$kind" '
      /^[ \t]*(#|$)/ { next }
      /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=/ {
        line = $0; sub(/^[ \t]*/, "", line); eq = index(line, "=")
        name = substr(line, 1, eq - 1); value = substr(line, eq + 1)
        sub(/[ \t]+$/, "", name); sub(/^[ \t]+/, "", value); sub(/[ \t]+$/, "", value)
        if (value ~ /^".*"$/ || value ~ /^\047.*\047$/) value = substr(value, 2, length(value) - 2)
        vars = vars (vars == "" ? "" : "\037") name "=" value
        next
      }
      {
        if ($1 == "@reboot") next
        skip = ($1 ~ /^@/) ? 1 : 5
        user = owner
        if (kind == "system") { user = $(skip + 1); skip++ }
        command = $0
        for (i = 0; i < skip; i++) sub(/^[ \t]*[^ \t]+/, "", command)
        sub(/^[ \t]+/, "", command)
        if (command ~ /stock-export/) printf "%s\t%s\t%s\n", user, vars, command
      }' "$file"
  done < <(crontabs)
}
# run_job USER VARIABLES COMMAND: runs the job as cron would: COMMAND up to its first unescaped % goes to
# the shell (\% is a %), the rest is its input (each % a newline); as USER, from its home, with cron's
# environment (SHELL=/bin/sh, PATH=/usr/bin:/bin, HOME, LOGNAME) and the crontab's variables on top.
run_job() {
  local user=$1 raw=$3 home shell=/bin/sh variable command="" input="" part=command char i escaped=no
  local -a vars extra
  for ((i = 0; i < ${#raw}; i++)); do
    char=${raw:i:1}
    if [ "$escaped" = yes ]; then
      escaped=no
      if [ "$char" = % ]; then char=%; else char="\\$char"; fi
    elif [ "$char" = "\\" ]; then
      escaped=yes
      continue
    elif [ "$char" = % ]; then
      if [ "$part" = command ]; then part=input; continue; fi
      char=$'\n'
    fi
    if [ "$part" = command ]; then command+=$char; else input+=$char; fi
  done
  [ "$escaped" = no ] || { if [ "$part" = command ]; then command+="\\"; else input+="\\"; fi; }
  home=$(getent passwd "$user" | cut -d: -f6)
  vars=(SHELL=/bin/sh PATH=/usr/bin:/bin "HOME=$home" "LOGNAME=$user")
  IFS=$'\037' read -ra extra <<<"$2"
  for variable in "${extra[@]}"; do
    [ -n "$variable" ] || continue
    vars+=("$variable")
    [[ $variable != SHELL=* ]] || shell=${variable#SHELL=}
  done
  (cd "$home" 2>/dev/null || cd /; printf '%s' "$input" | runuser -u "$user" -- env -i "${vars[@]}" "$shell" -c "$command") >/dev/null 2>&1
}
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
scheduled=$(export_jobs)
check "the export is scheduled in a crontab cron reads" '[ -n "$scheduled" ]'
check "the export is scheduled as the stock account only" '[ -n "$scheduled" ] && [ -z "$(cut -f1 <<<"$scheduled" | grep -vx stock)" ]'
mark=$RANDOM$RANDOM
echo "SKU-GRADE-$mark|HAM-1|4242" >>/srv/stock/levels.db
before=$(date +%Y%m%d-%H)
doing step "running this hour's export as cron would"
while IFS=$'\t' read -r user vars command; do run_job "$user" "$vars" "$command"; done < <(grep . <<<"$scheduled")
exported=
check "this hour's stock-YYYYMMDD-HH.csv holds the stock levels as they are now" 'exported_now'
check "the file is the stock account's, readable by the partner's group" '[ -n "$exported" ] && [ "$(stat -c %U "$exported")" = stock ] && as_user acmesftp cat "$exported" >/dev/null 2>&1'
check "other accounts cannot read it" '[ -n "$exported" ] && ! as_user nobody cat "$exported" >/dev/null 2>&1 && ! as_user www-data cat "$exported" >/dev/null 2>&1'
finish
