#!/usr/bin/env bash
# mon's packets arrive on app's eth1, but app routes 10.0.8.0/24 out of eth0 (its default route), so
# strict rp_filter drops them. Route the ops network back through the management router, in app's
# interfaces file and now.
set -euo pipefail
sed -i 's#^    address 10.0.9.20/24$#&\n    up ip route add 10.0.8.0/24 via 10.0.9.1#' /etc/netns/app/network/interfaces
on app ip route add 10.0.8.0/24 via 10.0.9.1 dev eth1
on mon curl -s --max-time 5 http://10.0.9.20/health
