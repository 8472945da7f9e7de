#!/usr/bin/env bash
# Grader: office PCs (pc and a new one) open the orders pages and ping app, app logs their own
# addresses; the office still reaches the file server and the Internet, app reaches the Internet;
# nothing gets in from the Internet; the office still reaches app with fw unplugged; again after app,
# core and fw reboot.
source /run/opslab-grader/lib.sh
orders() { host_get "$1" http://10.0.2.20/ | grep -q "Open orders"; }
checks() {
  local when=$1
  check_later "$when: the Internet reaches no server (app's pages, the file server)" 'all_succeed "host_cannot_connect ext 10.0.2.20 80" "host_cannot_connect ext 10.0.2.30 445"'
  check "$when: the office PC opens the orders pages and pings app" 'orders pc && host_pings pc 10.0.2.20'
  check "$when: a new office PC opens them too" 'orders newpc'
  check "$when: app logs the office PCs' own addresses" 'seen_from pc http://10.0.2.20/ /var/log/nginx/app-access.log 10.0.1.10 && seen_from newpc http://10.0.2.20/ /var/log/nginx/app-access.log 10.0.1.77'
  check "$when: the office still reaches the file server and the Internet" 'host_connects pc 10.0.2.30 445 && host_connects pc 203.0.113.50 80'
  check "$when: app still reaches the Internet" 'host_connects app 203.0.113.50 80'
}
# unplugged WHEN: fw's server port goes down (as while fw is patched): the office still opens the pages.
unplugged() {
  doing step "unplugging fw's server port"
  ip -n fw link set eth0 down
  check "$1: with fw unplugged, the office still opens the orders pages" 'orders pc'
}
plug_in newpc lan 10.0.1.77/24 10.0.1.1
checks "now"
unplugged "now"
reboot_host app core fw
note step "waiting for app to serve again"
eventually 30 'host_get app http://127.0.0.1/ >/dev/null'
checks "after app, core and fw reboot"
unplugged "after app, core and fw reboot"
finish
