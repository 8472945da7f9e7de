#!/usr/bin/env bash
# Wrong: lowers the MTU of the PC in the ticket to the VPN's 1400 (in its interfaces file, so it stays); that PC downloads, every other branch PC still hangs.
set -euo pipefail
sed -i 's#^    address 10.0.1.10/24$#&\n    mtu 1400#' /etc/netns/client/network/interfaces
on client ip link set eth0 mtu 1400
