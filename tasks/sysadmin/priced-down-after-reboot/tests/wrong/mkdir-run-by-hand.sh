#!/usr/bin/env bash
# Wrong: what the on-call does after each reboot: make /run/priced by hand and start priced; it answers now, and the next reboot empties /run again.
set -euo pipefail
install -d -o priced -g priced /run/priced
systemctl start priced.service
