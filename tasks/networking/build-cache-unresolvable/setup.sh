#!/usr/bin/env bash
# CHG-4802's round-robin record (48 addresses) does not fit in a 512-byte UDP answer: resolvers without
# EDNS (glibc's) get it truncated and retry over TCP, which rtr's FORWARD rules (udp only) and ns's
# firewall (udp only) drop (files/).
set -euo pipefail
for _ in $(seq 1 20); do
  ip netns exec pc dig +time=1 +tries=1 +short wiki.corp.example | grep -q . &&
    ip netns exec pc curl -s -o /dev/null --max-time 2 http://10.0.6.11/ && break
  sleep 1
done
