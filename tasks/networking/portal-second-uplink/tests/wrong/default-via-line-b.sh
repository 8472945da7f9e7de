#!/usr/bin/env bash
# Wrong: fixes edge's FORWARD rule for line B, then moves edge's default route to line B and masquerades there too (interfaces and rules.v4, loaded); line B's customers get in, line A's answers now leave over B and are dropped, and the office goes out over the metered line.
set -euo pipefail
sed -i -e 's#^-A FORWARD -i eth1 -o eth3 -d 192.0.2.2/32 #-A FORWARD -i eth1 -o eth3 -d 10.0.2.20/32 #' \
  -e 's#^-A POSTROUTING -s 10.0.0.0/16 -o eth0 -j MASQUERADE$#&\n-A POSTROUTING -s 10.0.0.0/16 -o eth1 -j MASQUERADE#' \
  -e 's#^-A FORWARD -i eth3 -o eth0 -s 10.0.2.0/24 -j ACCEPT$#&\n-A FORWARD -i eth2 -o eth1 -s 10.0.1.0/24 -j ACCEPT\n-A FORWARD -i eth3 -o eth1 -s 10.0.2.0/24 -j ACCEPT#' /etc/netns/edge/iptables/rules.v4
sed -i -e '/^    gateway 198.51.100.1$/d' -e 's#^    address 192.0.2.2/29$#&\n    gateway 192.0.2.1#' /etc/netns/edge/network/interfaces
on edge iptables-restore /etc/iptables/rules.v4
on edge ip route replace default via 192.0.2.1 dev eth1
