#!/usr/bin/env bash
# Wrong: gives the intranet server itself a route to the branch through vpn (in its interfaces file, so it stays); the branch opens the intranet, but core still knows no way to the branch, so the head office cannot reach it.
set -euo pipefail
sed -i 's#^    gateway 10.0.2.1$#&\n    up ip route add 10.0.5.0/24 via 10.0.2.2#' /etc/netns/web/network/interfaces
on web ip route add 10.0.5.0/24 via 10.0.2.2
