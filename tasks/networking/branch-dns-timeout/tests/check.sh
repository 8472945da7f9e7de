#!/usr/bin/env bash
# Grader: the branch PC (bpc) and a new branch PC get answers from the DNS server, which logs the branch
# PC's own address; the head office still resolves; again after ns and rtr reboot.
source /run/opslab-grader/lib.sh
log=/var/log/dnsmasq-ns.log
answer() { ip netns exec "$1" dig +time=2 +tries=1 +short @10.0.1.53 "$2" A 2>/dev/null | paste -sd ' '; }
# logged_query HOST ADDRESS: a query from HOST for a fresh name is in the server's log as from ADDRESS.
logged_query() {
  local name="probe-$RANDOM$RANDOM.corp.example"
  ip netns exec "$1" dig +time=2 +tries=1 +short @10.0.1.53 "$name" >/dev/null 2>&1
  eventually 3 "grep -qF 'query[A] $name from $2' '$log'"
}
checks() {
  local when=$1
  # NOTE: the new PC's query first: it gives up after 2 s where bpc's resolver (glibc: 5 s, twice) waits
  # 10 s or more for a server that ignores the branch.
  check "$when: a new branch PC gets answers from the DNS server" '[ "$(answer newbpc git.corp.example)" = 10.0.1.21 ]'
  check "$when: bpc resolves wiki.corp.example" '[ "$(ip netns exec bpc getent ahostsv4 wiki.corp.example | awk "NR == 1 { print \$1 }")" = 10.0.1.20 ]'
  check "$when: the DNS server's log shows the branch PC's own address" 'logged_query newbpc 10.0.7.77'
  check "$when: the head office still resolves" '[ "$(answer pc print.corp.example)" = 10.0.1.22 ]'
}
plug_in newbpc branch 10.0.7.77/24 10.0.7.1
checks_across_reboot '[ -n "$(answer pc wiki.corp.example)" ]' ns rtr
finish
