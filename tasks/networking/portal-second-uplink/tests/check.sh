#!/usr/bin/env bash
# Grader: customers reach the portal over line B and still over line A, and the portal logs their own
# addresses; edge answers pings on line B's address; the office's and the portal's own traffic still
# leaves over line A (the site they reach sees line A's address); the providers' strict reverse path
# filters are still on; again after edge, the portal and both provider routers reboot.
source /run/opslab-grader/lib.sh
portal() { host_get "$1" "$2" | grep -q "Customer portal"; }
# strict_rpf HOST: the host's customer port (eth0) filters strictly (the effective value is the larger
# of "all" and the port's own: 1 is strict, 2 loose).
strict_rpf() {
  local all port
  all=$(in_host "$1" cat /proc/sys/net/ipv4/conf/all/rp_filter) &&
    port=$(in_host "$1" cat /proc/sys/net/ipv4/conf/eth0/rp_filter) &&
    [ "$((all > port ? all : port))" = 1 ]
}
checks() {
  local when=$1
  check "$when: a customer opens the portal over line B (http://192.0.2.2/)" 'portal remote http://192.0.2.2/'
  check "$when: the portal logs that customer's own address" 'seen_from remote http://192.0.2.2/ /var/log/nginx/portal-access.log 203.0.113.50'
  check "$when: a customer still opens the portal over line A, with its own address logged" 'portal remote http://198.51.100.2/ && seen_from remote http://198.51.100.2/ /var/log/nginx/portal-access.log 203.0.113.50'
  check "$when: edge answers pings on line B's address" 'host_pings remote 192.0.2.2'
  check "$when: edge still answers pings on line A's address" 'host_pings remote 198.51.100.2'
  check "$when: the office's web traffic leaves over line A (the outside site sees 198.51.100.2)" 'seen_from pc http://203.0.113.50/ /var/log/nginx/remote-access.log 198.51.100.2'
  check "$when: the portal's own traffic leaves over line A too" 'seen_from portal http://203.0.113.50/ /var/log/nginx/remote-access.log 198.51.100.2'
  check "$when: the office still opens the portal directly" 'portal pc http://10.0.2.20/'
  check "$when: both providers' routers still filter by reverse path, strictly" 'strict_rpf ispa && strict_rpf ispb'
}
checks_across_reboot 'host_get portal http://127.0.0.1/ >/dev/null' edge portal ispa ispb
finish
