#!/usr/bin/env bash
# Wrong: cuts the round-robin record down to 24 addresses, which fit in a 512-byte answer, and reloads the DNS server; the name resolves, and half of the cache cluster no longer gets any traffic.
set -euo pipefail
awk '!/ cache\.corp\.example$/ || ++n <= 24' /srv/dns/corp.hosts > /tmp/corp.hosts
cat /tmp/corp.hosts > /srv/dns/corp.hosts
rm /tmp/corp.hosts
systemctl kill -s HUP ns-dnsmasq
