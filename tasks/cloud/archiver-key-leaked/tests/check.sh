#!/usr/bin/env bash
# Grader, in the VM: the jobs and their schedules are as shipped; after what a reboot does to cron and the
# inventory timer, each job, run as it is scheduled (root's cron with its profile, the timer's service with
# its environment, finops's cron), succeeds. Who they ran as, and the keys: host-side (tests/cloud-checks.ts).
source /run/opslab-grader/lib.sh

check "the jobs and their schedule are as shipped" 'sha256sum --quiet -c - <<SUMS
dd96bdf49cdcfd55b2595c98157fc25bece26200fefb6ac1136af78146633d9a  /usr/local/bin/invoice-snapshot
35d09696125e02cffb1a88fda56cd43a9b2b7cf05d1d2ecae99e0d51e2ff5369  /usr/local/bin/fleet-inventory
6614aa4efa40388dcd1506a3d007a52f6debbd152a509626abad3fb616d5a480  /usr/local/bin/capacity-report
412f836ca8b75f0ba9ee978eb1b9be0ba34d671875a54750224955f129136abc  /etc/cron.d/billing-jobs
SUMS'
check "cron and fleet-inventory.timer are enabled at boot and active after a reboot" \
  'enabled_at_boot cron.service && enabled_at_boot fleet-inventory.timer && reboot_unit cron.service fleet-inventory.timer'

# as_cron USER COMMAND: runs a job's command line with the environment cron gives USER's jobs of billing-jobs.
as_cron() {
  local home out
  home=$(getent passwd "$1" | cut -d: -f6)
  out=$(/usr/sbin/runuser -u "$1" -- env -i SHELL=/bin/bash PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" \
    LOGNAME="$1" /bin/bash -c "$2" 2>&1) || {
    printf '%s: %s\n' "$2" "$out" | tail -n 3 >&2
    return 1
  }
}
check "invoice-snapshot succeeds as root's cron runs it" 'as_cron root "CLOUD_PROFILE=archiver invoice-snapshot"'
check "fleet-inventory.service succeeds as its timer starts it" \
  'timeout 60 systemctl start fleet-inventory.service &&
   [ "$(systemctl show -p Result --value fleet-inventory.service)" = success ]'
check "capacity-report succeeds as finops's cron runs it" \
  'as_cron finops capacity-report && [ -s /home/finops/reports/capacity-latest.txt ]'
finish
