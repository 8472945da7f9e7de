#!/usr/bin/env bash
# Wrong: makes vlan30 again with id 30 by live commands only; pc reaches the database now, but db's interfaces file still says VLAN 20, so the next reboot breaks it again.
set -euo pipefail
on db 'ip link del vlan30 && ip link add link eth0 name vlan30 type vlan id 30 && ip addr add 10.0.30.20/24 dev vlan30 && ip link set vlan30 up && ip route add default via 10.0.30.1'
