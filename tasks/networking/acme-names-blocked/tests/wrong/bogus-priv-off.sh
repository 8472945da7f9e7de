#!/usr/bin/env bash
# Wrong: allows Acme's answers (rebind-domain-ok) and fixes the reverse lookups by dropping bogus-priv and sending every 10.x reverse lookup to Acme; Acme's addresses resolve back, and the office's own private addresses are now asked of Acme's server and of the Internet's DNS.
set -euo pipefail
sed -i -e 's#^bogus-priv$#\#bogus-priv#' \
  -e 's#^server=/acme.internal/10.20.0.53$#&\nrebind-domain-ok=/acme.internal/\nserver=/10.in-addr.arpa/10.20.0.53#' /etc/netns/ns/dnsmasq.conf
systemctl restart ns-dnsmasq
