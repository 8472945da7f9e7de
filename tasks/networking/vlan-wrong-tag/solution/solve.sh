#!/usr/bin/env bash
# db's "vlan30" interface tags its frames with VLAN 20: re-create it with id 30.
set -euo pipefail
on db 'ip link del vlan30 && ip link add link eth0 name vlan30 type vlan id 30 && ip addr add 10.0.30.20/24 dev vlan30 && ip link set vlan30 up && ip route add default via 10.0.30.1'
on pc nc -z -w 3 10.0.30.20 5432
