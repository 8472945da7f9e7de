#!/usr/bin/env bash
# The new gateway's rules come from files/ (gw's rules.v4, loaded at boot): the shop's DNAT matches only
# what comes in from the Internet, and the office may open the shop's back office only.
set -euo pipefail
for host in shop ext; do
  for _ in $(seq 1 20); do ip netns exec "$host" curl -s -o /dev/null http://127.0.0.1/ && break; sleep 0.5; done
done
