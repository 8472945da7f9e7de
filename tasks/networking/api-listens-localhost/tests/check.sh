#!/usr/bin/env bash
# Grader: nginx on app serves the API to the office on a network address of its own; /admin/ stays
# local; again after app reboots.
source /run/opslab-grader/lib.sh
serves_office() { host_get client http://10.0.1.20:8080/ | grep -q '"service": "inventory"'; }
status() { ip netns exec "$1" curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$2"; }
# nginx_on_network: app's listeners on port 8080 are nginx's, one of them on an address other than loopback.
nginx_on_network() {
  local listeners
  listeners=$(ip netns exec app ss -Hltnp 'sport = :8080')
  ! grep -v '"nginx"' <<<"$listeners" | grep -q . && awk '{ print $4 }' <<<"$listeners" | grep -qv '^127\.'
}
checks() {
  local when=$1
  check "$when: the office gets the inventory from http://10.0.1.20:8080/" 'serves_office'
  check "$when: nginx on app answered the office PC itself" 'seen_from client http://10.0.1.20:8080/ /var/log/nginx/app-access.log 10.0.1.10'
  check "$when: nginx itself listens for port 8080 on app's network address" 'nginx_on_network'
  check "$when: the office gets 403 on /admin/" '[ "$(status client http://10.0.1.20:8080/admin/)" = 403 ]'
  check "$when: app itself still opens /admin/" '[ "$(status app http://127.0.0.1:8080/admin/)" = 200 ]'
}
checks_across_reboot '[ "$(status app http://127.0.0.1:8080/)" = 200 ] || serves_office' app
finish
