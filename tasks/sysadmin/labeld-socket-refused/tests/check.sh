#!/usr/bin/env bash
# Grader: after a reboot of labeld (its socket as enabled at boot, labeld itself stopped), labeld does not
# run until a request comes; a print job at 127.0.0.1:9100 starts it, as the labeld account, and comes out
# on the packing printer (/etc/default/labeld) in its spool; nothing answers on port 9100 at the server's
# other addresses (IPv4 or IPv6), and every listener on the port is a loopback one.
source /run/opslab-grader/lib.sh
URL=http://127.0.0.1:9100
# prints LABEL: a print job for LABEL is accepted for the packing printer and spooled with LABEL in it.
# NOTE: labeld's own start takes seconds in the VM: the first request waits for it.
prints() {
  local job
  job=$(curl -s -m 20 -X POST --data "$1" "$URL/print" | sed -n 's/.*"job": "\([^"]*\)".*"printer": "zebra-pack-2".*/\1/p')
  [ -n "$job" ] && grep -qF "$1" "/var/spool/labeld/$job.zpl" 2>/dev/null
}
labeld_running() { systemctl is-active --quiet labeld.service || pgrep -f /opt/labeld/labeld.py >/dev/null; }
labeld_user() {
  local pid
  pid=$(pgrep -f -o /opt/labeld/labeld.py) && stat -c %U "/proc/$pid"
}
# only_loopback: every TCP listener on port 9100 is on a loopback address.
only_loopback() {
  local listeners
  listeners=$(ss -Hltn 'sport = :9100' | awk '{ print $4 }')
  [ -n "$listeners" ] && ! grep -vE '^(127\.[0-9.]+|\[::1\]|\[::ffff:127\.[0-9.]+\]):9100$' <<<"$listeners"
}
doing step "rebooting labeld: labeld stops, and starts again as enabled at boot"
systemctl stop labeld.service 2>/dev/null
systemctl reset-failed labeld.service labeld.socket 2>/dev/null
reboot_unit labeld.socket
# NOTE: a labeld.service enabled at boot starts with the machine, as it would at a real boot.
if enabled_at_boot labeld.service; then systemctl start labeld.service 2>/dev/null; fi
check "labeld's socket listens from boot" 'systemctl is-active --quiet labeld.socket && enabled_at_boot labeld.socket'
check "labeld does not run before the first request" '! labeld_running'
check "a label sent to 127.0.0.1:9100 prints on the packing printer" 'prints "GRADE-$RANDOM-A"'
check "labeld runs as the labeld account, started by its socket" 'systemctl is-active --quiet labeld.service && [ "$(labeld_user)" = labeld ]'
check "port 9100 listens on loopback addresses only" 'only_loopback'
doing step "adding an address of the server's network (IPv4 and IPv6) to probe from"
ip address add 198.51.100.7/32 dev lo 2>/dev/null
ip -6 address add 2001:db8:51::7/128 dev lo nodad 2>/dev/null
check_later "labeld cannot be reached at the server's other IPv4 addresses" '! curl -s -m 2 -o /dev/null http://198.51.100.7:9100/health'
check_later "labeld cannot be reached at the server's other IPv6 addresses" '! curl -s -m 2 -o /dev/null "http://[2001:db8:51::7]:9100/health"'
settle_checks
ip address del 198.51.100.7/32 dev lo 2>/dev/null
ip -6 address del 2001:db8:51::7/128 dev lo 2>/dev/null
finish
