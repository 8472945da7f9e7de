#!/usr/bin/env bash
# Wrong: fixes web's prefix length with live ip commands only; the offices get the intranet now, but web's interfaces file still says /16, so the next reboot breaks it again.
set -euo pipefail
on web 'ip addr flush dev eth0 && ip addr add 10.0.2.10/24 dev eth0 && ip route add default via 10.0.2.1'
