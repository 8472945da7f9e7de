#!/usr/bin/env bash
# Wrong: fixes edge's FORWARD rule for line B and routes everything the portal sends (and what edge sends from 192.0.2.2) by a table of line B, instead of only the connections that came in over B (edge's interfaces and rules.v4, loaded); line B's customers get in, line A's do not any more, and the portal's own traffic leaves over the metered line.
set -euo pipefail
sed -i 's#^-A FORWARD -i eth1 -o eth3 -d 192.0.2.2/32 #-A FORWARD -i eth1 -o eth3 -d 10.0.2.20/32 #' /etc/netns/edge/iptables/rules.v4
sed -i 's#^-A POSTROUTING -s 10.0.0.0/16 -o eth0 -j MASQUERADE$#&\n-A POSTROUTING -s 10.0.2.0/24 -o eth1 -j MASQUERADE#' /etc/netns/edge/iptables/rules.v4
sed -i 's#^-A FORWARD -i eth3 -o eth0 -s 10.0.2.0/24 -j ACCEPT$#&\n-A FORWARD -i eth3 -o eth1 -s 10.0.2.0/24 -j ACCEPT#' /etc/netns/edge/iptables/rules.v4
sed -i 's#^    address 192.0.2.2/29$#&\n    up ip route add default via 192.0.2.1 dev eth1 table 102\n    up ip rule add from 10.0.2.20 table 102\n    up ip rule add from 192.0.2.2 table 102#' /etc/netns/edge/network/interfaces
on edge iptables-restore /etc/iptables/rules.v4
on edge ip route add default via 192.0.2.1 dev eth1 table 102
on edge ip rule add from 10.0.2.20 table 102
on edge ip rule add from 192.0.2.2 table 102
