#!/usr/bin/env bash
# gw's rebuilt firewall comes from files/ (its rules.v4, loaded at boot): the DNAT is there, the
# FORWARD rule for it is not.
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec app curl -s -o /dev/null http://127.0.0.1/ && break; sleep 1; done
