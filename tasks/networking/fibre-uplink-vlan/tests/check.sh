#!/usr/bin/env bash
# Grader: office PCs (pc and a new one) browse the Internet; a customer loads the website and web logs
# the customer's own address, as it logs the office PC's on the inside; web gets out; from the
# provider's VLAN nothing but the website comes in (gw's SSH, the office, web's SSH); again after gw
# reboots.
source /run/opslab-grader/lib.sh
# plug_in_fibre HOST ADDRESS/N: a machine on the provider's VLAN 7 (as its access router sees the line),
# routing our inside networks to gw's public address: what the Internet could send.
plug_in_fibre() {
  ip netns add "$1" &&
    ip link add "$1-eth0" type veth peer name eth0 netns "$1" &&
    ip link set "$1-eth0" master br-fibre up &&
    ip -n "$1" link set lo up &&
    ip -n "$1" link set eth0 up &&
    ip -n "$1" link add link eth0 name eth0.7 type vlan id 7 &&
    ip -n "$1" address add "$2" dev eth0.7 &&
    ip -n "$1" link set eth0.7 up &&
    ip -n "$1" route add 10.0.0.0/8 via 203.0.113.2
}
browses() { host_get "$1" http://198.51.100.80/ | grep -q 'Timber Supplies'; }
# visits HOST URL ADDRESS: HOST gets the website at URL, and web logs that very request from ADDRESS.
visits() {
  local mark="probe-$RANDOM$RANDOM"
  host_get "$1" "$2?$mark" | grep -q 'Fernhill Joinery' && logged_from /var/log/nginx/web-access.log "$mark" "$3"
}
checks() {
  local when=$1
  check_later "$when: from the Internet nothing but the website comes in (gw's SSH, the office PC, web's SSH)" 'all_succeed "host_cannot_connect prober 203.0.113.2 22" "host_cannot_ping prober 10.0.1.10" "host_cannot_connect prober 10.0.2.10 22"'
  check "$when: the office PC browses the Internet" 'browses pc'
  check "$when: a new office PC does too" 'browses newpc'
  check "$when: a customer loads the website at 203.0.113.2, logged with the customer's own address" 'visits customer http://203.0.113.2/ 198.51.100.20'
  check "$when: the office opens the website at 10.0.2.10, logged with the PC's own address" 'visits pc http://10.0.2.10/ 10.0.1.10'
  check "$when: web still reaches the Internet" 'browses web'
  check "$when: the office still manages gw (SSH)" 'host_connects pc 10.0.1.1 22'
}
plug_in newpc lan 10.0.1.77/24 10.0.1.1
plug_in customer inet 198.51.100.20/24 198.51.100.1
plug_in_fibre prober 203.0.113.5/29
checks_across_reboot 'host_connects pc 10.0.1.1 22' gw
finish
