#!/usr/bin/env bash
# db's "vlan30" interface tags its frames with VLAN 20: give it id 30 in its interfaces file, and
# reboot db so that the interface is made again.
set -euo pipefail
sed -i 's/^    vlan-id 20$/    vlan-id 30/' /etc/netns/db/network/interfaces
reboot-host db
for _ in $(seq 1 20); do on pc nc -z -w 2 10.0.30.20 5432 && break; sleep 1; done
