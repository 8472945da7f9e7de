#!/usr/bin/env bash
# CHG-5407 as it was left (files/): edge's FORWARD rule for line B names the public address, which the
# DNAT has already rewritten; edge has one routing table, whose default is line A, so the portal's
# answers to line B's customers and edge's own answers from 192.0.2.2 leave over line A, where the
# provider's strict reverse path filter drops them.
set -euo pipefail
for host in portal remote; do
  for _ in $(seq 1 20); do ip netns exec "$host" curl -s -o /dev/null http://127.0.0.1/ && break; sleep 0.5; done
done
