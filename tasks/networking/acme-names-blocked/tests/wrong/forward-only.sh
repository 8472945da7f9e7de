#!/usr/bin/env bash
# Wrong: allows Acme's answers through the rebinding protection but leaves the reverse lookups alone; Acme's names resolve, their addresses still answer NXDOMAIN.
set -euo pipefail
sed -i 's#^server=/acme.internal/10.20.0.53$#&\nrebind-domain-ok=/acme.internal/#' /etc/netns/ns/dnsmasq.conf
systemctl restart ns-dnsmasq
