#!/usr/bin/env bash
# Wrong: adds the route on core with a live command only; the branch works now, and not after core's next reboot.
set -euo pipefail
on core ip route add 10.0.5.0/24 via 10.0.2.2
