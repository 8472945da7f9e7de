#!/usr/bin/env bash
# Wrong: keeps the /16 and adds routes on web for the two offices in the ticket (in its interfaces file, so they stay); every other network of 10.0.0.0/16 is still looked for on the DMZ.
set -euo pipefail
sed -i 's#^    gateway 10.0.2.1$#&\n    up ip route add 10.0.1.0/24 via 10.0.2.1\n    up ip route add 10.0.4.0/24 via 10.0.2.1#' /etc/netns/web/network/interfaces
on web 'ip route add 10.0.1.0/24 via 10.0.2.1 && ip route add 10.0.4.0/24 via 10.0.2.1'
