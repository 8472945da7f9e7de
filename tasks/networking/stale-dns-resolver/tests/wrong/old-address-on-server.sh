#!/usr/bin/env bash
# Wrong: gives the DNS server the retired resolver's address back (in its interfaces file, so it stays) instead of fixing the PC; the old address is alive again for everyone.
set -euo pipefail
sed -i 's#^    address 10.0.2.54/24$#&\n    up ip address add 10.0.2.53/24 dev eth0#' /etc/netns/ns/network/interfaces
on ns ip address add 10.0.2.53/24 dev eth0
