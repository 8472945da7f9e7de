#!/usr/bin/env bash
# The office's requests reach app through core, but app answers through its default gateway fw, which
# never saw the requests: its connection tracking takes the answers for invalid and drops them. Give
# app the route to the office through core that the other servers have, in its interfaces file and now.
set -euo pipefail
on pc curl -s --max-time 3 http://10.0.2.20/ || true
on app ip route
on files ip route
on fw nft list chain inet filter forward
{ on fw timeout 4 tcpdump -c 2 -n -i eth0 src host 10.0.2.20 || true; } &
on pc curl -s --max-time 3 http://10.0.2.20/ || true
wait
sed -i 's#^    gateway 10.0.2.254$#&\n    up ip route add 10.0.1.0/24 via 10.0.2.1#' /etc/netns/app/network/interfaces
on app ip route add 10.0.1.0/24 via 10.0.2.1
on pc curl -s --max-time 5 http://10.0.2.20/
