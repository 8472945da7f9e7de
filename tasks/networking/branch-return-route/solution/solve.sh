#!/usr/bin/env bash
# Answers to the branch go to web's gateway, core, which has no route to 10.0.5.0/24: add it there, in
# core's interfaces file (with the DMZ interface it leaves by) and now.
set -euo pipefail
sed -i 's#^    address 10.0.2.1/24$#&\n    up ip route add 10.0.5.0/24 via 10.0.2.2#' /etc/netns/core/network/interfaces
on core ip route add 10.0.5.0/24 via 10.0.2.2
on branch curl -s --max-time 5 http://10.0.2.10/ >/dev/null
