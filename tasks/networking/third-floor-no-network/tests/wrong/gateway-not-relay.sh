#!/usr/bin/env bash
# Wrong: fixes the central server (floor 3's gateway and the printer's reservation) but not the relay; the server is right, and floor 3 still gets no offer at all.
set -euo pipefail
sed -i -e 's#^dhcp-option=tag:floor3,option:router,10.0.3.254$#dhcp-option=tag:floor3,option:router,10.0.3.1#' \
  -e 's#^dhcp-host=02:4f:80:2e:13:00,printer3,10.0.3.20$#dhcp-host=02:4f:80:2e:31:00,printer3,10.0.3.20#' /etc/netns/dhcp/dnsmasq.conf
systemctl restart dhcp-dnsmasq
