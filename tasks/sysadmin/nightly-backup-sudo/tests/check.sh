#!/usr/bin/env bash
# Grader: tonight's backup, run as cron runs the scheduled job (as dbbackup, no terminal, cron's
# environment and the crontab's variables), snapshots the database as it is now and prunes the snapshots
# older than 7 days; dbbackup may run nothing else as root; nora needs her password for the backup tools
# and, like every other account, a terminal; the baseline file is untouched.
source /run/opslab-grader/lib.sh
BASELINE=/etc/sudoers.d/90-security-baseline
BASELINE_SHA256=416581e8627b316b82c483917c24bb5b5e379581b2a1589dc776464daa10aee5
NORA_PASSWORD=Gannet-Copper-64
# job_line: the command of the nightly-backup line in a cron.d file cron reads, run as dbbackup.
job_line() {
  local file
  for file in /etc/cron.d/*; do
    [[ ${file##*/} =~ ^[A-Za-z0-9_-]+$ ]] && [ "$(stat -c %U "$file")" = root ] &&
      (((8#$(stat -c %a "$file") & 8#022) == 0)) || continue
    awk '/^[ \t]*(#|$)/ || /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=/ { next }
      $6 == "dbbackup" && /nightly-backup/ { for (i = 1; i <= 6; i++) sub(/^[ \t]*[^ \t]+/, ""); sub(/^[ \t]+/, ""); print; exit }' "$file"
  done | head -n 1
}
# run_job: the job as cron runs it: as dbbackup, without a terminal (its own session), cron's environment.
run_job() {
  local command
  command=$(job_line)
  [ -n "$command" ] || return 1
  (cd /var/lib/dbbackup && setpriv --reuid=dbbackup --regid="$(id -g dbbackup)" --init-groups --reset-env -- \
    env -i SHELL=/bin/sh PATH=/usr/local/bin:/usr/bin:/bin HOME=/var/lib/dbbackup LOGNAME=dbbackup \
    setsid -w /bin/sh -c "$command") </dev/null >/dev/null 2>&1
}
# sudo_as USER ARGS...: USER's sudo without a terminal (its own session), given nora's password if it asks.
sudo_as() {
  local user=$1
  shift
  printf '%s\n' "$NORA_PASSWORD" | as_user "$user" setsid -w sudo -S -p '' "$@" >/dev/null 2>&1
}
# sudo_on_tty USER ARGS...: the same on a terminal of its own (script's pseudo-terminal), as a person types it;
# with -n first (sudo asks for no password) nothing is typed.
# NOTE: script runs the command with $SHELL, and dbbackup's login shell is nologin.
# NOTE: at the end of what is typed, script waits (up to 2 s) until the terminal's input has been read;
# sudo -n reads none.
sudo_on_tty() {
  local user=$1 typed=$NORA_PASSWORD$'\n'
  shift
  [ "${1-}" != -n ] || typed=
  printf '%s' "$typed" | as_user "$user" env SHELL=/bin/sh script -qec "sudo -S -p '' ${*@Q}" /dev/null >/dev/null 2>&1
}
newest_snapshot() { ls -1t /srv/backups/orders-*.tar.gz 2>/dev/null | head -n 1; }
mark="SO-GRADER-$RANDOM$RANDOM|1.00|open"
echo "$mark" >>/srv/db/orders.db
oldest=/srv/backups/orders-$(date -d "-11 days" +%Y%m%d)-021502.tar.gz
recent=/srv/backups/orders-$(date -d "-4 days" +%Y%m%d)-021502.tar.gz
reboot_unit cron.service
check "cron runs and starts at boot" 'systemctl is-active --quiet cron.service && enabled_at_boot cron.service'
check "the nightly backup is scheduled in cron as dbbackup" '[ -n "$(job_line)" ]'
doing step "running tonight's backup as cron would"
run_job
check "tonight's backup snapshots the database as it is now" 'snap=$(newest_snapshot) && [ -n "$snap" ] && tar -xzOf "$snap" ./orders.db | grep -qxF "$mark"'
check "tonight's backup prunes the snapshots older than 7 days, keeps the others" '[ ! -e "$oldest" ] && [ -e "$recent" ]'
check "the snapshot belongs to dbbackup, closed to other accounts" 'snap=$(newest_snapshot) && tar -xzOf "$snap" ./orders.db | grep -qxF "$mark" && [ "$(stat -c %U "$snap")" = dbbackup ] && ! as_user www-data cat "$snap" >/dev/null 2>&1'
# NOTE: on a terminal, so that requiretty decides nothing here. dbbackup has no password: what sudo grants
# it only with one (the %backup rule) it cannot use.
check "dbbackup cannot run anything else as root" '! sudo_on_tty dbbackup -n /usr/local/sbin/restore-db --list && ! sudo_on_tty dbbackup -n -l /bin/sh && ! id -nG dbbackup | grep -qw sudo'
# NOTE: the probes must see the grant on a terminal, or the "cannot" below would pass by themselves.
check "nora runs the backup tools as root on a terminal, with her password" 'sudo_on_tty nora /usr/local/sbin/restore-db --list && sudo_on_tty nora -l /usr/local/sbin/snapshot-db'
check "nora cannot run them without her password" '! sudo_on_tty nora -n /usr/local/sbin/restore-db --list'
check "sudo still insists on a terminal for nora" '! sudo_as nora /usr/local/sbin/restore-db --list'
check "the security baseline is untouched" '[ "$(sha256sum <"$BASELINE" | cut -d" " -f1)" = "$BASELINE_SHA256" ]'
check "the sudoers files are valid" 'visudo -c >/dev/null 2>&1'
finish
