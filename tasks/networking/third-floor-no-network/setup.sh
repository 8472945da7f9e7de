#!/usr/bin/env bash
# CHG-4812 as it was left (files/): core relays floor 2's DHCP only (no dhcp-relay line for floor 3), the
# central server's floor-3 range hands out the retired floor router 10.0.3.254 as the gateway, and the
# printer's reservation has its MAC address mistyped (13 for 31), so it would get an address of the range.
set -euo pipefail
for _ in $(seq 1 20); do
  ip netns exec srv dig +time=1 +tries=1 +short @10.0.9.53 intranet.corp.example | grep -q . && break
  sleep 1
done
