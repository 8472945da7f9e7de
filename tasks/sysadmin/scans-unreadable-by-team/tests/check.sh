#!/usr/bin/env bash
# Grader: the scanners' uploads come out readable by the accounting team (alice, bob) and by nobody else,
# in this month's folder and in a month's folder scan-inbox makes new; December's scans filed before are
# readable by the team too, November's still are, all unchanged; scan-inbox runs as scanner under the
# baseline's protections, and the baseline still holds for the other accounting services; a new month's
# scan is still right after a reboot of scan-inbox.
source /run/opslab-grader/lib.sh
SCANS=/srv/share/scans
scan() { printf '%%PDF-1.4\n%% scanned invoice %s\n1 0 obj << /Type /Catalog >> endobj\n%%%%EOF\n' "$1"; }
# file_of NAME: where scan-inbox files NAME.
file_of() { echo "$SCANS/${1:5:4}-${1:9:2}/$1"; }
# upload NAME: a scanner sends NAME; scan-inbox answers 201.
upload() {
  [ "$(scan "$1" | curl -s -o /dev/null -w '%{http_code}' -m 10 -X PUT --data-binary @- "http://127.0.0.1:8071/scans/$1")" = 201 ]
}
# paths NAME...: where scan-inbox files each NAME.
paths() { local name; for name; do file_of "$name"; done; }
# NOTE: one process for all the scans a user reads (each start costs tens of ms in the VM).
# reads USER NAME...: USER reads every scan NAME as the scanners sent it (cat fails on any it cannot read).
reads() {
  local user=$1 name expected= got
  shift
  for name; do expected+=$(scan "$name"); done
  mapfile -t files < <(paths "$@")
  got=$(as_user "$user" cat -- "${files[@]}" 2>/dev/null) && [ "${got//$'\n'/}" = "${expected//$'\n'/}" ]
}
# reads_none USER NAME...: USER can read not one of the scans NAME (none is empty: a scan it could read
# would give head its first byte).
reads_none() {
  local user=$1
  shift
  mapfile -t files < <(paths "$@")
  [ -z "$(as_user "$user" head -q -c 1 -- "${files[@]}" 2>/dev/null)" ]
}
# team_only NAME...: alice and bob read each scan; carol (another team) and nobody read none.
team_only() { reads alice "$@" && reads bob "$@" && reads_none carol "$@" && reads_none nobody "$@"; }
stamp() { printf '%02d%02d%02d' $((RANDOM % 10 + 10)) $((RANDOM % 60)) $((RANDOM % 60)); }
# The scans filed before the ticket (as setup names them).
november=() december=()
for day in 02 03 05 09 11 16 19 23 25 27; do november+=("SCAN_202611${day}_$(printf '%02d%02d12' $((10#$day % 7 + 8)) $((10#$day * 7 % 50 + 10))).pdf"); done
for day in 01 02 03; do
  for hour in 09 14; do december+=("SCAN_202612${day}_${hour}$((10#$day * 13 % 50 + 10))07.pdf"); done
done
new_dec="SCAN_20261204_$(stamp).pdf"
new_jan="SCAN_20270105_$(stamp).pdf"
new_feb="SCAN_20270202_$(stamp).pdf"
main_pid() { systemctl show -p MainPID --value acct-scanner.service; }
health() { curl -sf -m 3 http://127.0.0.1:8071/health >/dev/null; }
check "scan-inbox takes a December scan" 'eventually 10 health && upload "$new_dec"'
check "the new December scan is readable by alice and bob, by no one else" 'team_only "$new_dec"'
check "December's scans filed before are readable by alice and bob, by no one else, unchanged" 'team_only "${december[@]}"'
check "scan-inbox takes a scan of a new month (January)" 'upload "$new_jan"'
check "the January scan is readable by alice and bob, by no one else" 'team_only "$new_jan"'
check "November's scans are still readable by alice and bob, by no one else, unchanged" 'team_only "${november[@]}"'
check "scan-inbox runs as scanner" '[ "$(stat -c %U "/proc/$(main_pid)")" = scanner ]'
baseline_of() {
  [ "$(systemctl show -p NoNewPrivileges -p PrivateTmp -p ProtectSystem -p ProtectHome -p ProtectKernelTunables -p ProtectControlGroups "$1" | sort | tr '\n' ' ')" = \
    "NoNewPrivileges=yes PrivateTmp=yes ProtectControlGroups=yes ProtectHome=yes ProtectKernelTunables=yes ProtectSystem=strict " ]
}
check "scan-inbox keeps the baseline's protections" 'baseline_of acct-scanner.service && grep -q "^NoNewPrivs:[[:space:]]*1$" "/proc/$(main_pid)/status"'
check "the baseline still holds for the other accounting services" 'baseline_of acct-reminders.service && [ "$(systemctl show -p UMask --value acct-reminders.service)" = 0077 ]'
check "scan-inbox is enabled at boot" 'enabled_at_boot acct-scanner.service'
reboot_unit acct-scanner.service
check "after a reboot: a scan of a new month (February) is readable by alice and bob, by no one else" 'eventually_up acct-scanner.service 10 health && upload "$new_feb" && team_only "$new_feb"'
finish
