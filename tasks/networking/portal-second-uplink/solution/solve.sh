#!/usr/bin/env bash
# Three faults on edge. Its FORWARD rule for line B matches the public address, which the DNAT has
# already rewritten to the portal's. Then the portal's answers to those customers (and edge's own
# answers from 192.0.2.2) follow the one default route, out over line A, whose provider drops a
# source that is not its own. Mark the connections that come in over line B and route them (and
# what edge sends from 192.0.2.2) by a table of line B; everything else keeps line A.
set -euo pipefail
on remote curl -s --max-time 3 http://192.0.2.2/ || true
on remote curl -s --max-time 3 http://198.51.100.2/ >/dev/null
on edge iptables -t nat -S PREROUTING
on edge iptables -L FORWARD -v -n
# FORWARD sees the address after the DNAT: the portal's.
sed -i 's#^-A FORWARD -i eth1 -o eth3 -d 192.0.2.2/32 #-A FORWARD -i eth1 -o eth3 -d 10.0.2.20/32 #' /etc/netns/edge/iptables/rules.v4
on edge iptables-restore /etc/iptables/rules.v4
on remote curl -s --max-time 3 http://192.0.2.2/ || true
{ on edge timeout 4 tcpdump -c 2 -n -i eth0 src host 192.0.2.2 || true; } &
on remote curl -s --max-time 3 http://192.0.2.2/ || true
wait
on edge ip rule show
# Connections that came in over line B are marked; their packets and edge's own from 192.0.2.2 use table 102.
sed -i 's#^\*nat$#*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -i eth1 -m conntrack --ctstate NEW -j CONNMARK --set-mark 0x2\n-A PREROUTING ! -i eth1 -j CONNMARK --restore-mark\nCOMMIT\n*nat#' /etc/netns/edge/iptables/rules.v4
sed -i 's#^    address 192.0.2.2/29$#&\n    up ip route add default via 192.0.2.1 dev eth1 table 102\n    up ip rule add fwmark 0x2 table 102\n    up ip rule add from 192.0.2.2 table 102#' /etc/netns/edge/network/interfaces
on edge iptables-restore /etc/iptables/rules.v4
on edge ip route add default via 192.0.2.1 dev eth1 table 102
on edge ip rule add fwmark 0x2 table 102
on edge ip rule add from 192.0.2.2 table 102
on remote curl -s --max-time 5 http://192.0.2.2/
on remote ping -c 1 -W 2 192.0.2.2
on remote curl -s --max-time 5 http://198.51.100.2/ >/dev/null
on pc curl -s --max-time 5 http://203.0.113.50/ >/dev/null
