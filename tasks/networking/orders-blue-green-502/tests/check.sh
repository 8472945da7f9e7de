#!/usr/bin/env bash
# Grader: customers (client and a new one) get the live colour (green) through the proxy, with their own
# address in the API's log; the proxy reaches nothing but the API servers and DNS; again after gw
# reboots; then api.corp.example is switched to blue (the release team's way: the DNS record, nothing
# on the proxy) and the proxy must follow within seconds.
source /run/opslab-grader/lib.sh
hosts=/srv/dns/corp.hosts
served() { host_get "$1" http://203.0.113.1/v1/orders | grep -q "\"colour\":\"$2\""; }
# switch_to ADDRESS: points api.corp.example at ADDRESS, as the runbook does.
switch_to() {
  sed -i '/[[:space:]]api\.corp\.example[[:space:]]*$/d' "$hosts"
  echo "$1   api.corp.example" >>"$hosts"
  systemctl kill -s HUP ns-dnsmasq
}
checks() {
  local when=$1
  # What must stay closed first: these wait out their time-outs beside the checks that follow.
  check_later "$when: the proxy reaches nothing but the API servers and DNS (the DNS server's other ports, the Internet)" 'all_succeed "host_unanswered gw http://10.0.2.53:22/" "host_unanswered gw http://203.0.113.50:80/"'
  check "$when: the customer gets the live API (green) on http://203.0.113.1/v1/orders" 'served client green'
  check "$when: a new customer gets it too" 'served newclient green'
  check "$when: the API's log shows the customer's own address" 'seen_from newclient http://203.0.113.1/v1/orders /var/log/nginx/green-access.log 203.0.113.77'
}
plug_in newclient wan 203.0.113.77/24 203.0.113.1
# NOTE: gw serves again once its proxy listens: a proxy that cannot resolve the API holds a request for
# its resolver's time-out (30 s) before it answers 502, and the checks after the reboot tell that apart.
checks_across_reboot 'ip netns exec gw ss -Hltn "sport = :80" | grep -q .' gw
doing step "switching api.corp.example to blue"
systemctl start blue-nginx
eventually 15 'host_get ns http://10.0.2.21:8080/v1/orders | grep -q blue'
switch_to 10.0.2.21
check "the proxy follows a switch of api.corp.example to blue within 10 s, untouched" 'eventually 12 "served client blue"'
finish
