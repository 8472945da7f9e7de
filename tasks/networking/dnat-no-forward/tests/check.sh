#!/usr/bin/env bash
# Grader: customers reach the shop through the port forward, unmasqueraded; nothing else of the LAN
# opens to the Internet (another server's port 80, the back office); again after gw and app reboot.
source /run/opslab-grader/lib.sh
shop() { host_get customer http://203.0.113.1:8080/ | grep -q "Corp shop"; }
checks() {
  local when=$1
  check_later "$when: the file server's web port (10.0.2.30:80) stays closed to the Internet" 'host_cannot_connect customer 10.0.2.30 80'
  check_later "$when: the back office (10.0.2.20:8081) stays closed to the Internet" 'all_succeed "host_cannot_connect customer 10.0.2.20 8081" "host_cannot_connect customer 203.0.113.1 8081"'
  check "$when: a customer opens the shop on http://203.0.113.1:8080/" 'shop'
  check "$when: the shop sees the customer's own address" 'seen_from customer http://203.0.113.1:8080/ /var/log/nginx/app-access.log 203.0.113.50'
  check "$when: the gateway does not serve the shop itself" '! ip netns exec gw ss -Hltn | grep -q ":8080 "'
  check "$when: the LAN still reaches the Internet" 'host_pings app 203.0.113.50'
}
checks_across_reboot 'host_get app http://127.0.0.1/ >/dev/null' gw app
finish
