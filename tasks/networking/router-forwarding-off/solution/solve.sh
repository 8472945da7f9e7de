#!/usr/bin/env bash
# The router does not forward packets: turn forwarding on in its sysctl.conf, so that it stays on
# after a reboot, and now (the guest rule stays).
set -euo pipefail
sed -i 's/^#\?net.ipv4.ip_forward=.*/net.ipv4.ip_forward=1/' /etc/netns/router/sysctl.conf
on router sysctl -w net.ipv4.ip_forward=1
on client curl -s --max-time 5 http://10.0.2.10/ >/dev/null
