#!/usr/bin/env bash
# Grader: the IPv6-only runners (ci1 and a new one) fetch from the repository over IPv6, with their own
# address in its log; the office (IPv4) still fetches and mon still gets the metrics; the metrics stay
# closed to everyone else over both families (the DMZ, the office, the runners), and the runners reach
# nothing but the repository's port 80; again after rtr and repo reboot.
source /run/opslab-grader/lib.sh
log=/var/log/nginx/repo-access.log
file=releases/toolchain-2.14.1.txt
# fetches HOST BASE: HOST gets the release file from BASE (the repository's URL).
# NOTE: connected within 2 s or given up: over the lab's cables the repository accepts in milliseconds,
# and a path that drops the packets (no forwarding, no route, no neighbour) would hold curl its whole 5 s.
fetches() { host_get "$1" "$2/$file" -g --connect-timeout 2 | grep -q '^builder 2\.14\.1'; }
# seen_from_v6 HOST ADDRESS: HOST fetches a marked URL over IPv6 and the log has it from ADDRESS (no NAT).
seen_from_v6() {
  local mark="probe-$RANDOM$RANDOM"
  host_get "$1" "http://[2001:db8:2::20]/releases/?$mark" -g >/dev/null
  logged_from "$log" "$mark" "$2"
}
# settled HOST: HOST's IPv6 addresses have passed duplicate address detection (a tentative one cannot be used).
settled() { ! ip -n "$1" -6 address show tentative | grep -q inet6; }
checks() {
  local when=$1
  # What must stay closed first: these wait out their time-outs beside the checks that follow.
  check_later "$when: the metrics stay closed to the DMZ over IPv6 and IPv4 (db, a new DMZ host)" 'all_succeed "host_unanswered db http://[2001:db8:2::20]:9100/ -g" "host_unanswered newdmz http://[2001:db8:2::20]:9100/ -g" "host_unanswered db http://10.0.2.20:9100/"'
  check_later "$when: the metrics stay closed to the office and the runners" 'all_succeed "host_unanswered office http://10.0.2.20:9100/" "host_unanswered newci http://[2001:db8:2::20]:9100/ -g"'
  check_later "$when: the runners reach nothing else in the DMZ (the database)" 'all_succeed "host_unanswered ci1 http://[2001:db8:2::30]:5432/ -g" "host_unanswered newci http://[2001:db8:2::30]:5432/ -g"'
  check "$when: ci1 fetches from the repository over IPv6" 'fetches ci1 "http://[2001:db8:2::20]"'
  check "$when: a new IPv6-only runner fetches too" 'fetches newci "http://[2001:db8:2::20]"'
  check "$when: the repository's log shows the runner's own address" 'seen_from_v6 ci1 2001:db8:5::10'
  check "$when: the office still fetches over IPv4" 'fetches office http://10.0.2.20'
  check "$when: mon still gets the metrics" 'host_get mon http://10.0.2.20:9100/ | grep -q "^artifacts_up 1"'
}
plug_in newci ci 2001:db8:5::77/64
ip -n newci route add ::/0 via 2001:db8:5::1
plug_in newdmz dmz 2001:db8:2::77/64
eventually 5 'settled newci && settled newdmz'
checks_across_reboot 'host_get repo http://127.0.0.1/ >/dev/null' rtr repo
finish
