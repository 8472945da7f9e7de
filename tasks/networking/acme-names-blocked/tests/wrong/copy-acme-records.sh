#!/usr/bin/env bash
# Wrong: copies Acme's records into the office resolver (a hosts file of its own, which answers names and addresses locally) instead of fixing the forwarding; today's names resolve, and every host Acme adds later does not.
set -euo pipefail
grep -v '^#' /srv/acme/dns/hosts > /srv/dns/acme.hosts
sed -i 's#^addn-hosts=/srv/dns/internal.hosts$#&\naddn-hosts=/srv/dns/acme.hosts#' /etc/netns/ns/dnsmasq.conf
systemctl restart ns-dnsmasq
