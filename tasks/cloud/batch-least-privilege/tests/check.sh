#!/usr/bin/env bash
# Grader, in the VM: the jobs and their schedule are as shipped; each job, run as cron runs it, succeeds under the
# batch account's own identities; cron runs again after a reboot. Rights: host-side (tests/cloud-checks.ts).
source /run/opslab-grader/lib.sh

# NOTE: no scheduled canary in the middle of the grader's own runs (it would overwrite the record).
systemctl stop cron.service

check "the jobs and their schedule are as shipped" 'sha256sum --quiet -c - <<SUMS
342ced83eb0fd4a501622c78a9923be9401227baff2434f1db8f1b01d126465c  /usr/local/bin/db-snapshot
5f145aaea3d7263f4e6dec168b7bd864d0c42b63f781c4f8a9a72088b4162cbd  /usr/local/bin/reports-scale
174b43f5b4e56046ae9cf616b12beb40d6e3f5b8fe2ce4bb43f4a432899fa0fc  /usr/local/bin/dns-canary
033f13502fa14e58f5cc4c32f7d1488b6636c6f6e0ad9d0af1197d69beb19352  /usr/local/bin/quota-report
231146edd9b21f74283c46f1de21d708627a24eafc6ebe0087c38162b4855929  /etc/cron.d/batch-jobs
SUMS'

# as_cron COMMAND: runs a job's command line with the environment /etc/cron.d/batch-jobs gives it.
as_cron() {
  local out
  out=$(env -i SHELL=/bin/bash PATH=/usr/local/bin:/usr/bin:/bin CLOUD_PROFILE=batch HOME=/root \
    LOGNAME=root /bin/bash -c "$1" 2>&1) || {
    printf '%s: %s\n' "$1" "$out" | tail -n 3 >&2
    return 1
  }
}
principal() {
  env -i HOME=/root CLOUD_PROFILE="$1" /usr/local/bin/cloud iam whoami -o json 2>/dev/null | jq -r .principal
}
check "the jobs' profiles still are the batch account (batch) and its reports-scaler role (batch-reports)" \
  '[ "$(principal batch)" = user/batch ] && [ "$(principal batch-reports)" = role/reports-scaler ]'
check "db-snapshot succeeds as cron runs it" 'as_cron db-snapshot'
check "reports-scale night and reports-scale day succeed as cron runs them" \
  'as_cron "reports-scale night" && as_cron "reports-scale day"'
check "dns-canary succeeds as cron runs it" 'as_cron dns-canary'
check "quota-report succeeds as cron runs it" 'as_cron quota-report && [ -s /var/lib/batch/quota-report.txt ]'
check "cron runs again after a reboot" 'reboot_unit cron.service'
finish
