#!/usr/bin/env bash
# Grader: after a reboot of indexd it serves its 1100 segments and its searches read all of them, with the
# security baseline's protections still in force on it; the nightly check, run as indexd, verifies every
# segment; other accounts keep the baseline's open-files limit.
source /run/opslab-grader/lib.sh
LOG=/var/log/indexd/verify.log
# NOTE: asks indexd only once it listens: a curl every try would slow its start (python's, 1100 files) that it
# waits for.
health() { listening 8095 && curl -sf -m 3 http://127.0.0.1:8095/health | grep -q '"segments": 1100'; }
# hits WORD N: a search for WORD finds it in N segments.
hits() { curl -s -m 10 "http://127.0.0.1:8095/search?q=$1" | grep -q "\"segments\": $2}"; }
main_pid() { systemctl show -p MainPID --value indexd.service; }
# too_few_files: systemd holds indexd to fewer open files (its hard limit) than its 1100 segments need with
# stdin, stdout and stderr: it cannot serve them, however often it is restarted.
# NOTE: what the wait gives up on at once, instead of after indexd's crashes (each a python start and
# a thousand files opened, then a pause).
too_few_files() {
  local limit
  limit=$(systemctl show -p LimitNOFILE --value indexd.service 2>/dev/null)
  [[ $limit =~ ^[0-9]+$ ]] && ((limit < 1103))
}
# baseline: the protections of the security baseline's drop-in, as systemd applies them to indexd now.
baseline() {
  [ "$(systemctl show -p NoNewPrivileges -p PrivateTmp -p ProtectSystem -p ProtectHome -p UMask -p LimitCORE indexd.service | sort | tr '\n' ' ')" = \
    "LimitCORE=0 NoNewPrivileges=yes PrivateTmp=yes ProtectHome=yes ProtectSystem=strict UMask=0027 " ] &&
    grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$(main_pid)/status"
}
# limits_of USER: USER's open-files limits (soft hard) in a session PAM opens for it, as cron's does.
limits_of() { runuser -u "$1" -- /bin/sh -c 'echo "$(ulimit -Sn) $(ulimit -Hn)"' 2>/dev/null; }
# a reboot resets the start rate limit too
systemctl reset-failed indexd.service 2>/dev/null
reboot_unit indexd.service
check "after a reboot indexd serves its 1100 segments" 'eventually_up indexd.service 30 health too_few_files'
check "searches read every segment" 'hits widget 275 && hits zephyr 1'
check "indexd runs as the indexd account" '[ "$(stat -c %U "/proc/$(main_pid)")" = indexd ]'
check "the security baseline's protections are in force for indexd" 'baseline'
check "indexd is enabled at boot" 'enabled_at_boot indexd.service'
doing step "running the nightly index check as indexd"
runuser -u indexd -- /usr/local/bin/indexd-verify >/dev/null 2>&1
check "the nightly check, run as indexd, verifies every segment" '[ "$(tail -n 1 "$LOG" | cut -d" " -f2-)" = "verified 1100 segments" ]'
check "other accounts keep the baseline's open-files limit" '[ "$(limits_of anna)" = "1024 1024" ] && [ "$(limits_of nobody)" = "1024 1024" ]'
check "the index's segments are all there" '[ "$(find /var/lib/indexd/segments -name "seg-*.seg" | wc -l)" = 1100 ]'
finish
