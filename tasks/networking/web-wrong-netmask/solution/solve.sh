#!/usr/bin/env bash
# web has 10.0.2.10/16, so it looks for every 10.0.x.y on its own segment: give it its /24 back.
set -euo pipefail
on web 'ip addr flush dev eth0 && ip addr add 10.0.2.10/24 dev eth0 && ip route add default via 10.0.2.1'
on client curl -s --max-time 5 http://10.0.2.10/ >/dev/null
