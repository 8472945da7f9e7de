#!/usr/bin/env bash
# The VLANs come from files/ (each host's /etc/network/interfaces): db's vlan30 interface is tagged
# with the office VLAN's id, 20.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec db ss -Hltn 'sport = :5432' | grep -q . && break; sleep 0.5; done
