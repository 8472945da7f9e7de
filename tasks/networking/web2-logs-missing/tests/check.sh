#!/usr/bin/env bash
# Grader: a marked request to web2 (from a new machine) lands in the collector's log for 10.0.2.12 and in
# web2's local shop log; web1's still lands in the collector's log for 10.0.2.11 and its own; syslog from
# a machine that is not a web server is not collected; again after web2 and loghost reboot.
source /run/opslab-grader/lib.sh
# collected FILE MARK: MARK shows in the collector's FILE within 5 s (UDP: the message is on its way).
collected() { eventually 5 "grep -qF -- '$2' '$1' 2>/dev/null"; }
# marked HOST URL: requests URL from HOST with a fresh mark and prints the mark.
marked() {
  local mark="probe-$RANDOM$RANDOM"
  host_get "$1" "$2?$mark" >/dev/null
  echo "$mark"
}
checks() {
  local when=$1 two one spoof="inject-$RANDOM$RANDOM"
  ip netns exec newhost logger -n 10.0.2.20 -P 514 -d -t nginx "$spoof"
  two=$(marked newhost http://10.0.2.12/)
  one=$(marked newhost http://10.0.2.11/)
  check "$when: web2's requests reach the collector, filed under 10.0.2.12" 'collected /var/log/central/10.0.2.12.log "$two"'
  check "$when: web2's local shop log still gets every request" 'grep -qF -- "$two" /var/log/nginx/shop-access.log'
  check "$when: web1's requests still reach the collector, filed under 10.0.2.11" 'collected /var/log/central/10.0.2.11.log "$one"'
  check "$when: web1's local log still gets them" 'grep -qF -- "$one" /var/log/nginx/web1-access.log'
  # NOTE: the collector reads one socket in order, and the web servers' lines, sent after the spoofed one, are in.
  check "$when: the collector takes no logs from a machine that is not a web server" '! grep -rqF -- "$spoof" /var/log/central/'
}
plug_in newhost dmz 10.0.2.77/24
# NOTE: ready once web2 answers and the collector listens again (a message before that is lost, as UDP is).
checks_across_reboot 'host_get newhost http://10.0.2.12/healthz | grep -q ok && ip netns exec loghost ss -Hlun "sport = :514" | grep -q .' web2 loghost
finish
