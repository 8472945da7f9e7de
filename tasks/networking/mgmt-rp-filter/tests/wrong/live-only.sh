#!/usr/bin/env bash
# Wrong: adds the return route on app with a live command only; the monitoring works now, and not after app's next reboot.
set -euo pipefail
on app ip route add 10.0.8.0/24 via 10.0.9.1 dev eth1
