#!/usr/bin/env bash
# Wrong: lets "fragmentation needed" in with a live iptables command only; the downloads work now, and hang again after web's next reboot (its rules.v4 is unchanged).
set -euo pipefail
on web iptables -I INPUT -p icmp --icmp-type fragmentation-needed -j ACCEPT
