#!/usr/bin/env bash
# Wrong: gives the router the servers' gateway address on its office VLAN interface too (in its interfaces file, rebooted); db, still tagged 20, reaches its gateway in the office VLAN.
set -euo pipefail
sed -i 's#^    address 10.0.20.1/24$#&\n    up ip address add 10.0.30.1/24 dev eth0.20#' /etc/netns/router/network/interfaces
reboot-host router
