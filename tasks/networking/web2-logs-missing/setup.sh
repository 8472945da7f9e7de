#!/usr/bin/env bash
# CHG-4466 as it was left (files/): web2's site has an access_log of its own, which replaces every
# access_log it would inherit from http{} (the syslog one too), so web2 sends the collector nothing; and
# loghost's firewall lets syslog in from web1 only (its log_senders set). A little traffic on both
# servers, once the collector listens, fills the logs.
set -euo pipefail
for _ in $(seq 1 40); do
  ip netns exec loghost ss -Hlun 'sport = :514' | grep -q . && break
  sleep 0.5
done
ip netns exec web1 curl -s --retry 10 --retry-connrefused --retry-delay 1 "http://10.0.2.12{/,/index.html,/offers/,/}" >/dev/null &
ip netns exec web2 curl -s --retry 10 --retry-connrefused --retry-delay 1 "http://10.0.2.11{/,/index.html,/offers/,/}" >/dev/null &
wait
