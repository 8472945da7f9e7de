#!/usr/bin/env bash
# Grader: mon reaches app's management address with its own address, both ways over the management
# network; the users' path is unchanged; again after app, mgr, core and mon reboot.
source /run/opslab-grader/lib.sh
health() { [ "$(host_get mon http://10.0.9.20/health)" = "app ok" ]; }
checks() {
  local when=$1
  check "$when: mon gets app's health on http://10.0.9.20/health" 'health'
  check "$when: mon pings 10.0.9.20" 'host_pings mon 10.0.9.20'
  check "$when: app's log shows mon's own address on the management address" 'seen_from mon http://10.0.9.20/health /var/log/nginx/app-access.log 10.0.8.5'
  check "$when: mon's requests and app's answers go by the management router, not the user LAN" 'ip netns exec mon ip route get 10.0.9.20 | grep -q " via 10\.0\.8\.1 " && ip netns exec app ip route get 10.0.8.5 from 10.0.9.20 | grep -q " via 10\.0\.9\.1 dev eth1 "'
  check "$when: LAN users still open the app on 10.0.1.20" 'host_get user http://10.0.1.20/ | grep -q Orders'
  check "$when: app still reaches other networks through the core router" 'ip netns exec app ip route get 10.0.77.7 | grep -q " via 10\.0\.1\.1 "'
  check "$when: mgr still pings app's management address" 'host_pings mgr 10.0.9.20'
}
checks_across_reboot 'host_get app http://127.0.0.1/health >/dev/null' app mgr core mon
finish
