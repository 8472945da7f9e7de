#!/usr/bin/env bash
# Grader: after a reboot of quotegen, a day's traffic (50 different quotes, then the recent ones again)
# is answered in full by the same process, never killed or restarted; the recent quotes come from the
# cache; quotegen runs as quotegen under the platform's 64 MB budget, which the kernel enforces.
source /run/opslab-grader/lib.sh
BUDGET=$((64 * 1024 * 1024))
main_pid() { systemctl show -p MainPID --value quotegen.service; }
up() { (exec 3<>/dev/tcp/127.0.0.1/8077) 2>/dev/null; }
# budget_kept: the unit's MemoryMax and the kernel's limit on its cgroup are the 64 MB budget or less.
budget_kept() {
  local unit kernel
  unit=$(systemctl show -p MemoryMax --value quotegen.service)
  kernel=$(cat "/sys/fs/cgroup$(systemctl show -p ControlGroup --value quotegen.service)/memory.max" 2>/dev/null)
  [[ $unit =~ ^[0-9]+$ ]] && ((unit <= BUDGET)) && [[ $kernel =~ ^[0-9]+$ ]] && ((kernel <= BUDGET))
}
reboot_unit quotegen.service
check "after a reboot quotegen answers" 'eventually 20 up'
pid=$(main_pid)
restarts=$(systemctl show -p NRestarts --value quotegen.service)
doing step "sending a day's traffic: 50 quotes"
codes=$(curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 'http://127.0.0.1:8077/quote/[5001-5050]')
check "all 50 quotes are answered" '[ "$(grep -cx 200 <<<"$codes")" = 50 ]'
# cached QUOTE: quotegen answers QUOTE from its cache.
cached() { curl -s -o /dev/null -D - --max-time 10 "http://127.0.0.1:8077/quote/$1" | grep -qi '^X-Cache: HIT'; }
check "the recent quotes come from the cache" '(for q in 5050 5049 5048 5047 5046 5045; do cached "$q" || exit 1; done)'
check "quotegen was neither killed nor restarted" '[ "$(main_pid)" = "$pid" ] && [ "$pid" != 0 ] && [ "$(systemctl show -p NRestarts --value quotegen.service)" = "$restarts" ] && systemctl is-active --quiet quotegen.service'
check "quotegen runs under the platform's memory budget (64 MB)" 'budget_kept'
check "quotegen runs as the quotegen account" '[ "$(stat -c %U "/proc/$(main_pid)")" = quotegen ]'
check "quotegen is enabled at boot" 'enabled_at_boot quotegen.service'
finish
