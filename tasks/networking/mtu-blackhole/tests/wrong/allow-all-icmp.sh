#!/usr/bin/env bash
# Wrong: drops web's ICMP rule altogether (in its rules.v4, loaded); downloads work, and web answers pings against the security policy.
set -euo pipefail
sed -i '/^-A INPUT -p icmp -j DROP$/d' /etc/netns/web/iptables/rules.v4
on web iptables-restore /etc/iptables/rules.v4
