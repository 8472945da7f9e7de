#!/usr/bin/env bash
# Grader: the export is scheduled in a crontab that cron accepts (its owner, mode and name), as the payouts
# account only; each night is played as cron would run it (the job's user, cron's environment and the
# crontab's variables): the waiting batches reach the bank's drop, every batch exactly once and sealed with
# the bank key; a new batch goes the next night even when a second export starts while the first is still
# sealing; the bank key stays private; cron runs again after a reboot of it.
source /run/opslab-grader/lib.sh
SPOOL=/var/spool/payouts
KEY=/etc/payouts/bank.key
# night: every scheduled export runs, one after the other, as on a night.
night() {
  local user vars command
  while IFS=$'\t' read -r user vars command; do run_cron_job "$user" "$vars" "$command"; done < <(grep . <<<"$scheduled")
}
# sealed_once ID: the bank's drop holds exactly one file of batch ID, the batch sealed with the bank key.
sealed_once() {
  local files
  mapfile -t files < <(find /srv/bankdrop -type f -name "$1.*.sealed")
  [ "${#files[@]}" = 1 ] || return 1
  [ "$(cat "$SPOOL/approved/$1.csv" && echo "SEAL sha256=$(cat "$KEY" "$SPOOL/approved/$1.csv" | sha256sum | cut -d' ' -f1)")" = "$(cat "${files[0]}")" ]
}
# all_sent_once: every approved batch has exactly one file in the bank's drop, and no file is of another.
all_sent_once() {
  [ -z "$({
    find "$SPOOL/approved" -name 'PB-*.csv' -printf 'approved %f\n'
    find /srv/bankdrop -type f -name '*.sealed' -printf 'sent %f\n'
  } | awk '{ split($2, part, "."); if ($1 == "approved") approved[part[1]] = 1; else sent[part[1]]++ }
      END { for (id in approved) if (sent[id] != 1) print id; for (id in sent) if (!(id in approved)) print id }')" ]
}
# NOTE: what the crontabs schedule is read from their files, before cron's reboot (which changes none of
# them): a grade that stops at its first failure ends there without waiting for cron.
scheduled=$(cron_jobs payout-export)
check "the export is scheduled in a crontab cron reads" '[ -n "$scheduled" ]'
check "the export is scheduled to run as the payouts account only" '[ -n "$scheduled" ] && [ -z "$(cut -f1 <<<"$scheduled" | grep -vx payouts)" ]'
reboot_unit cron.service
check "cron runs and is enabled at boot" 'systemctl is-active --quiet cron.service && enabled_at_boot cron.service'
doing step "running tonight's export as cron would"
night
check "tonight: the batches waiting since Monday reach the bank, sealed" '(for d in 20261130 20261201 20261202 20261203; do sealed_once PB-$d || exit 1; done)'
check "tonight: every batch went to the bank exactly once" 'all_sent_once'
# The next day's batch, approved as the approval service does it.
new=PB-20261204
printf 'iban,amount_eur,reference\nDE4400000000000000012345,812.40,PO-20261204-001\nDE1700000000000000067890,95.00,PO-20261204-002\n' >"$SPOOL/approved/$new.csv"
chown payouts:payouts "$SPOOL/approved/$new.csv"
chmod 640 "$SPOOL/approved/$new.csv"
doing step "running the next night's export, and a second one while it seals"
night &
# The second export starts while the first is sealing the batch.
[ -z "$scheduled" ] || eventually 5 '[ -n "$(find /srv/bankdrop -name "$new.*.part" -print -quit)" ]' || true
night
wait
check "the next night: the new batch reaches the bank exactly once, with an export started twice" 'sealed_once $new'
check "the next night: every batch went to the bank exactly once" 'all_sent_once'
check "the bank key is not readable by other accounts" '! runuser -u nobody -- cat "$KEY" >/dev/null 2>&1 && [ "$(stat -c %U "$KEY")" = root ]'
finish
