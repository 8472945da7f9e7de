#!/usr/bin/env bash
# Wrong: moves the gateway's forward and api's firewall rule with live commands only (and the sync in its file); everything works now, and after gw and api reboot they publish and open the old port again.
set -euo pipefail
on gw iptables -t nat -R PREROUTING 1 -i eth0 -p tcp --dport 9000 -j DNAT --to-destination 10.0.2.20:9000
on gw iptables -R FORWARD 3 -i eth0 -o eth1 -p tcp -d 10.0.2.20 --dport 9000 -j ACCEPT
handle=$(on api nft -a list chain inet filter input | sed -n 's/.*comment "orders API" # handle \([0-9]*\)$/\1/p')
on api nft replace rule inet filter input handle "$handle" tcp dport 9000 accept comment '"orders API"'
sed -i 's#10.0.2.20:8080#10.0.2.20:9000#' /etc/default/orders-sync
