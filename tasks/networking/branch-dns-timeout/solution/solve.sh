#!/usr/bin/env bash
# local-service makes dnsmasq ignore every query from a subnet it has no interface on: the routed branch
# office. The company's own networks reach the server only from inside (rtr routes the branch in and
# nothing from outside), so the option goes; the server answers the branch with its own address logged.
set -euo pipefail
on bpc dig +time=2 +tries=1 wiki.corp.example || true
on bpc ping -c 1 -W 2 10.0.1.53
on ns ss -lunp
on ns 'cat /etc/dnsmasq.conf /etc/dnsmasq.d/*.conf'
sed -i '/^# Never an open resolver: answer only hosts on our own networks.$/d; /^local-service$/d' /etc/netns/ns/dnsmasq.d/10-baseline.conf
systemctl restart ns-dnsmasq
on bpc dig +short wiki.corp.example
