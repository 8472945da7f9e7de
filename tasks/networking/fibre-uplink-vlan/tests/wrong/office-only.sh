#!/usr/bin/env bash
# Wrong: names eth1.7 where the office and the DMZ go out (forward and masquerade, nftables.conf, loaded) and stops once the office browses; the website's port forward and its forward rule still name eth1, and customers still get nothing.
set -euo pipefail
sed -i -e 's/oifname "eth1" accept/oifname "eth1.7" accept/' -e 's/oifname "eth1" masquerade/oifname "eth1.7" masquerade/' /etc/netns/gw/nftables.conf
on gw nft -f /etc/nftables.conf
