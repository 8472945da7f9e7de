#!/usr/bin/env bash
# Grader: the partner's drop has the files of December 1st and 2nd (the nights lost since the hardening),
# the earlier ones untouched; after a reboot of the timer, a night is played as it runs (the export's
# service started as its timer starts it, then the upload as cron runs it): the export's file is readable
# by the export and the upload job only, and reaches the drop; the hardening is still in force.
source /run/opslab-grader/lib.sh
INBOX=/srv/partner-drop/inbox
orders_of() { awk -F, -v day="$1" 'NR == 1 || index($2, day) == 1' /var/lib/orders/orders.csv; }
delivered() { [ "$(cat "$INBOX/orders-$1.csv" 2>/dev/null)" = "$(orders_of "$1")" ]; }
check "the partner has the files of December 1st and 2nd" 'delivered 2026-12-01 && delivered 2026-12-02'
check "the files delivered before are untouched" '(for d in 26 27 28 29 30; do delivered 2026-11-$d || exit 1; done)'
hardened() {
  [ "$(systemctl show -p PrivateTmp -p ProtectSystem -p ProtectHome -p NoNewPrivileges -p PrivateDevices -p User export-orders.service | sort | tr '\n' ' ')" = \
    "NoNewPrivileges=yes PrivateDevices=yes PrivateTmp=yes ProtectHome=yes ProtectSystem=strict User=exporter " ]
}
check "the export's hardening is in force, and it runs as exporter" 'hardened'
check "the export's timer is enabled at boot" 'enabled_at_boot export-orders.timer'
reboot_unit export-orders.timer
# The next night: the export of yesterday (December 2nd again, on this machine's clock), as its timer
# starts it, then the upload.
night=$(date -d yesterday +%F)
rm -f "$INBOX/orders-$night.csv"
doing step "running the night's export as its timer does"
since=$(date '+%F %T')
systemctl start export-orders.service >/dev/null 2>&1
export_file=$(journalctl -u export-orders.service --since "$since" -o cat 2>/dev/null | grep -o " to /[^ ]*orders-$night\\.csv\$" | tail -n 1 | cut -c5-)
check "the night's export succeeds" '[ "$(systemctl show -p Result --value export-orders.service)" = success ] && [ -n "$export_file" ]'
check "the exported file is there for the upload job, and readable by nobody else" \
  'as_user uploader cat "$export_file" >/dev/null 2>&1 && ! as_user dev cat "$export_file" >/dev/null 2>&1 && ! as_user nobody cat "$export_file" >/dev/null 2>&1'
doing step "running the night's upload as cron does"
# jobs: the upload's lines in the crontabs cron reads (USER, VARIABLES, COMMAND), each run as cron runs it.
jobs=$(cron_jobs upload-orders)
while IFS=$'\t' read -r user vars command; do run_cron_job "$user" "$vars" "$command"; done < <(grep . <<<"$jobs")
check "the night's file reaches the partner's drop" 'delivered "$night"'
check "the upload still runs as uploader" '[ -n "$jobs" ] && [ -z "$(cut -f1 <<<"$jobs" | grep -vx uploader)" ]'
check "the partner's drop is not readable by other accounts" '! as_user dev ls "$INBOX" >/dev/null 2>&1 && ! as_user nobody cat "$INBOX/orders-2026-12-01.csv" >/dev/null 2>&1'
finish
