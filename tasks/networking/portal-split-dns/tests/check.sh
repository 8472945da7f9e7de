#!/usr/bin/env bash
# Grader: the office resolver (asked from pc and a new office PC) answers the portal's internal address,
# and its other internal and public names as before; the office opens the portal by name, with its own
# address in the portal's log; the Internet still gets the public address and the portal; the portal's
# other ports stay closed to the office; again after gw and ns reboot.
source /run/opslab-grader/lib.sh
# answer HOST SERVER NAME: the addresses SERVER answers HOST for NAME, one line.
answer() { ip netns exec "$1" dig +time=2 +tries=1 +short "@$2" "$3" A 2>/dev/null | sort | paste -sd ' '; }
# portal HOST URL [CURL ARGS...]: HOST gets the portal's page from URL.
# NOTE: connected within 2 s or given up: over the lab's cables the portal accepts in milliseconds, and a
# firewall that drops the connection would hold curl its whole 5 s.
portal() { host_get "$@" --connect-timeout 2 | grep -q "<h1>Customer portal</h1>"; }
checks() {
  local when=$1
  # What must stay closed first: these wait out their time-outs beside the checks that follow.
  check_later "$when: the portal's other ports stay closed to the office (pc, a new PC)" 'all_succeed "host_unanswered pc http://10.0.2.40:8080/" "host_unanswered newpc http://10.0.2.40:22/"'
  check "$when: the office resolver answers portal.corp.example with 10.0.2.40 (asked from a new PC)" '[ "$(answer newpc 10.0.1.53 portal.corp.example)" = 10.0.2.40 ]'
  check "$when: pc resolves portal.corp.example to 10.0.2.40" '[ "$(ip netns exec pc getent ahostsv4 portal.corp.example | awk "NR == 1 { print \$1 }")" = 10.0.2.40 ]'
  check "$when: the office resolver still answers the other names (wiki internal, www public)" '[ "$(answer newpc 10.0.1.53 wiki.corp.example)" = 10.0.2.10 ] && [ "$(answer newpc 10.0.1.53 www.corp.example)" = 203.0.113.80 ]'
  check "$when: pc opens http://portal.corp.example/" 'portal pc http://portal.corp.example/'
  check "$when: a new office PC opens the portal at 10.0.2.40" 'portal newpc http://10.0.2.40/ -H "Host: portal.corp.example"'
  check "$when: the portal's log shows pc's own address" 'seen_from pc http://portal.corp.example/ /var/log/nginx/portal-access.log 10.0.1.10'
  check "$when: the public DNS still answers 203.0.113.1 for the portal" '[ "$(answer home 203.0.113.53 portal.corp.example)" = 203.0.113.1 ]'
  check "$when: customers on the Internet still open the portal" 'portal home http://portal.corp.example/'
}
plug_in newpc lan 10.0.1.77/24 10.0.1.1
checks_across_reboot '[ -n "$(answer pc 10.0.1.53 wiki.corp.example)" ]' gw ns
finish
