#!/usr/bin/env bash
# Wrong: makes the whole fix with live commands only (the FORWARD rule, the connection mark, the table and rules of line B); the portal works over both lines now, and not after edge's next reboot.
set -euo pipefail
on edge iptables -I FORWARD 2 -i eth1 -o eth3 -d 10.0.2.20 -p tcp --dport 80 -j ACCEPT
on edge iptables -t mangle -A PREROUTING -i eth1 -m conntrack --ctstate NEW -j CONNMARK --set-mark 0x2
on edge iptables -t mangle -A PREROUTING ! -i eth1 -j CONNMARK --restore-mark
on edge ip route add default via 192.0.2.1 dev eth1 table 102
on edge ip rule add fwmark 0x2 table 102
on edge ip rule add from 192.0.2.2 table 102
