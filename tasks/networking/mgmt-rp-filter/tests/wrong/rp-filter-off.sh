#!/usr/bin/env bash
# Wrong: turns reverse-path filtering off on app (in its sysctl.d, so it stays) instead of routing the answers back; the monitoring works, its answers leave by the user LAN and core.
set -euo pipefail
sed -i 's/rp_filter = 1/rp_filter = 0/' /etc/netns/app/sysctl.d/60-hardening.conf
on app sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0
