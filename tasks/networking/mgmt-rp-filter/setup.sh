#!/usr/bin/env bash
# app's hardened sysctls come from files/ (its sysctl.d): strict reverse-path filtering, and app routes
# the ops network out of its LAN interface (its default route), so mon's packets on eth1 are dropped.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec app curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
