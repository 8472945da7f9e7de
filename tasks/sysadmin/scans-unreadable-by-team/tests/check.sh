#!/usr/bin/env bash
# Grader: the scanners' uploads come out readable by the accounting team (alice, bob) and by nobody else,
# in this month's folder and in a month's folder scan-inbox makes new; December's scans filed before are
# readable by the team too, November's still are, all unchanged; scan-inbox runs as scanner under the
# baseline's protections, and the baseline still holds for the other accounting services; a new month's
# scan is still right after a reboot of scan-inbox.
source /run/opslab-grader/lib.sh
SCANS=/srv/share/scans
# scan_of NAME: SCAN is the scan NAME as a scanner sends it (printf -v: a $(...) would fork).
scan_of() { printf -v SCAN '%%PDF-1.4\n%% scanned invoice %s\n1 0 obj << /Type /Catalog >> endobj\n%%%%EOF\n' "$1"; }
# upload NAME: a scanner sends NAME; scan-inbox answers 201.
upload() {
  scan_of "$1"
  [ "$(printf %s "$SCAN" | curl -s -o /dev/null -w '%{http_code}' -m 10 -X PUT --data-binary @- "http://127.0.0.1:8071/scans/$1")" = 201 ]
}
# team_only NAME...: alice and bob read each scan as the scanners sent it (cat fails on any it cannot read);
# carol (another team) and nobody read none (none is empty: a scan they could read would give head its
# first byte). NOTE: one process for all the scans an account reads (each start costs tens of ms in the
# VM), and the scans' paths and contents made once for the four, with builtins.
team_only() {
  local name user expected= got
  local -a files=()
  for name; do
    files+=("$SCANS/${name:5:4}-${name:9:2}/$name")
    scan_of "$name"
    expected+=$SCAN
  done
  for user in alice bob; do
    got=$(as_user "$user" cat -- "${files[@]}" 2>/dev/null) && [ "${got//$'\n'/}" = "${expected//$'\n'/}" ] || return 1
  done
  for user in carol nobody; do
    [ -z "$(as_user "$user" head -q -c 1 -- "${files[@]}" 2>/dev/null)" ] || return 1
  done
}
stamp() { printf '%02d%02d%02d' $((RANDOM % 10 + 10)) $((RANDOM % 60)) $((RANDOM % 60)); }
# The scans filed before the ticket (as setup names them).
november=() december=()
for day in 02 03 05 09 11 16 19 23 25 27; do
  printf -v at '%02d%02d12' $((10#$day % 7 + 8)) $((10#$day * 7 % 50 + 10))
  november+=("SCAN_202611${day}_$at.pdf")
done
for day in 01 02 03; do
  for hour in 09 14; do december+=("SCAN_202612${day}_${hour}$((10#$day * 13 % 50 + 10))07.pdf"); done
done
new_dec="SCAN_20261204_$(stamp).pdf"
new_jan="SCAN_20270105_$(stamp).pdf"
new_feb="SCAN_20270202_$(stamp).pdf"
main_pid() { systemctl show -p MainPID --value acct-scanner.service; }
# NOTE: asks scan-inbox only once it listens: a curl every try would slow its start (python's) that it waits for.
health() { listening 8071 && curl -sf -m 3 http://127.0.0.1:8071/health >/dev/null; }
check "scan-inbox takes a December scan" 'eventually 10 health && upload "$new_dec"'
check "the new December scan is readable by alice and bob, by no one else" 'team_only "$new_dec"'
check "December's scans filed before are readable by alice and bob, by no one else, unchanged" 'team_only "${december[@]}"'
check "scan-inbox takes a scan of a new month (January)" 'upload "$new_jan"'
check "the January scan is readable by alice and bob, by no one else" 'team_only "$new_jan"'
check "November's scans are still readable by alice and bob, by no one else, unchanged" 'team_only "${november[@]}"'
check "scan-inbox runs as scanner" '[ "$(stat -c %U "/proc/$(main_pid)")" = scanner ]'
# baseline_of UNIT [PROPERTY=VALUE...]: systemd applies the baseline's protections to UNIT now, and each
# PROPERTY=VALUE given. NOTE: one systemctl for all (each costs 0.1 to 0.2 s in the VM); it prints a line
# for each property asked, whatever the order.
baseline_of() {
  local unit=$1 setting shown
  local -a settings=(NoNewPrivileges=yes PrivateTmp=yes ProtectSystem=strict ProtectHome=yes ProtectKernelTunables=yes
    ProtectControlGroups=yes "${@:2}") properties=()
  for setting in "${settings[@]}"; do properties+=(-p "${setting%%=*}"); done
  shown=$'\n'$(systemctl show "${properties[@]}" "$unit" 2>/dev/null)$'\n'
  for setting in "${settings[@]}"; do [[ $shown == *$'\n'"$setting"$'\n'* ]] || return 1; done
}
check "scan-inbox keeps the baseline's protections" 'baseline_of acct-scanner.service && grep -q "^NoNewPrivs:[[:space:]]*1$" "/proc/$(main_pid)/status"'
check "the baseline still holds for the other accounting services" 'baseline_of acct-reminders.service UMask=0077'
check "scan-inbox is enabled at boot" 'enabled_at_boot acct-scanner.service'
reboot_unit acct-scanner.service
check "after a reboot: a scan of a new month (February) is readable by alice and bob, by no one else" 'eventually_up acct-scanner.service 10 health && upload "$new_feb" && team_only "$new_feb"'
finish
