#!/usr/bin/env bash
# Wrong: adds app's route to the office with a live command only; the office opens the pages now, and not after app's next reboot.
set -euo pipefail
on app ip route add 10.0.1.0/24 via 10.0.2.1
