#!/usr/bin/env bash
# Wrong: switches ns's rebinding protection off altogether (and names Acme's DNS for its reverse zone); Acme's names resolve, and so does any public name that points into our networks, against CHG-3990.
set -euo pipefail
sed -i -e 's#^stop-dns-rebind$#\#stop-dns-rebind#' \
  -e 's#^server=/acme.internal/10.20.0.53$#&\nserver=/20.10.in-addr.arpa/10.20.0.53#' /etc/netns/ns/dnsmasq.conf
systemctl restart ns-dnsmasq
