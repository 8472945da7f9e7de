#!/usr/bin/env bash
# The tills' requests to 203.0.113.1 come in on the office side, where no DNAT matches: gw takes them
# for itself and its INPUT drops them. Publish the shop on the public address for the office as well,
# and let the office through to the shop's web port (no masquerade: the shop sees the tills and
# answers them through gw, which undoes the DNAT).
set -euo pipefail
on till curl -s --max-time 3 http://203.0.113.1/ || true
on gw iptables -t nat -S PREROUTING
on gw iptables -L -v -n
sed -i 's#^-A PREROUTING -i eth0 -d 203.0.113.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.20:80$#&\n-A PREROUTING -i eth1 -s 10.0.1.0/24 -d 203.0.113.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.2.20:80#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
on till curl -s --max-time 3 http://203.0.113.1/ || true
sed -i 's#^-A FORWARD -i eth1 -o eth2 -s 10.0.1.0/24 -d 10.0.2.20/32 -p tcp -m tcp --dport 8081 -j ACCEPT$#-A FORWARD -i eth1 -o eth2 -s 10.0.1.0/24 -d 10.0.2.20/32 -p tcp -m multiport --dports 80,8081 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
on till curl -s --max-time 5 http://203.0.113.1/
