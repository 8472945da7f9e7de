#!/usr/bin/env bash
# web has 10.0.2.10/16, so it looks for every 10.0.x.y on its own segment: give it its /24 back in its
# interfaces file and reboot it.
set -euo pipefail
sed -i 's#address 10.0.2.10/16#address 10.0.2.10/24#' /etc/netns/web/network/interfaces
reboot-host web
for _ in $(seq 1 20); do on client curl -s --max-time 2 http://10.0.2.10/ >/dev/null && break; sleep 1; done
