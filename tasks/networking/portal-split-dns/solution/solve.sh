#!/usr/bin/env bash
# Split DNS: the office resolver gets the portal's internal name (it answered with the public address,
# which gw publishes to the Internet only); then gw's firewall lets the office reach the portal's port 80.
set -euo pipefail
on pc curl -sS --max-time 5 http://portal.corp.example/ || true
on pc getent hosts portal.corp.example
on ns cat /etc/dnsmasq.conf
cat /srv/dns/internal.hosts
echo '10.0.2.40   portal.corp.example' >> /srv/dns/internal.hosts
systemctl kill -s HUP ns-dnsmasq
on pc getent hosts portal.corp.example
on pc curl -sS --max-time 3 http://portal.corp.example/ || true
on gw iptables -S FORWARD
sed -i 's#^-A FORWARD -i eth1 -o eth2 -d 10.0.2.10/32 -p tcp -m tcp --dport 80 -j ACCEPT$#&\n-A FORWARD -i eth1 -o eth2 -d 10.0.2.40/32 -p tcp -m tcp --dport 80 -j ACCEPT#' /etc/netns/gw/iptables/rules.v4
on gw iptables-restore /etc/iptables/rules.v4
on pc curl -sS --max-time 5 http://portal.corp.example/
