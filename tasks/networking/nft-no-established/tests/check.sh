#!/usr/bin/env bash
# Grader: web reaches db, the shop answers, everything else stays dropped from any address or source
# port; again after web reboots (its firewall loaded from its nftables.conf).
source /run/opslab-grader/lib.sh
checks() {
  local when=$1
  check_later "$when: the metrics port 9100 still gets no answer from client, db, or source port 5432" 'all_succeed "host_unanswered client http://10.0.2.10:9100/" "host_unanswered db http://10.0.2.10:9100/" "host_unanswered client http://10.0.2.10:9100/ --local-port 5432"'
  check_later "$when: a closed port of web stays dropped (no answer, not a refusal)" 'host_unanswered client http://10.0.2.10:8080/'
  check "$when: web connects to the database on 10.0.2.30:5432" 'host_connects web 10.0.2.30 5432'
  check "$when: the shop answers the network on port 80" 'host_get client http://10.0.2.10/ | grep -q "Corp shop"'
  check "$when: web still answers ping" 'host_pings client 10.0.2.10'
  check "$when: the metrics still answer on web itself" 'host_get web http://127.0.0.1:9100/ | grep -q shop_up'
}
checks_across_reboot 'host_get web http://127.0.0.1/ >/dev/null' web
finish
