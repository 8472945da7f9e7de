#!/usr/bin/env bash
set -euo pipefail
ip netns exec router sh -c '
  ip link add link eth0 name eth0.20 type vlan id 20 && ip addr add 10.0.20.1/24 dev eth0.20 && ip link set eth0.20 up
  ip link add link eth0 name eth0.30 type vlan id 30 && ip addr add 10.0.30.1/24 dev eth0.30 && ip link set eth0.30 up'
ip netns exec pc sh -c '
  ip link add link eth0 name eth0.20 type vlan id 20 && ip addr add 10.0.20.10/24 dev eth0.20 && ip link set eth0.20 up
  ip route add default via 10.0.20.1'
# The server's tagged interface was re-created with the office VLAN's id.
ip netns exec db sh -c '
  ip link add link eth0 name vlan30 type vlan id 20 && ip addr add 10.0.30.20/24 dev vlan30 && ip link set vlan30 up
  ip route add default via 10.0.30.1'
