#!/usr/bin/env bash
# CHG-4751 as it was left (files/): portal.corp.example is in the public zone (pubdns: 203.0.113.1, published
# by gw's DNAT from the Internet) but not in the office resolver's internal names, so the office gets the
# public address, which gw publishes to the Internet side only; and gw's firewall lets the office reach
# the DMZ's wiki and git, not the portal.
set -euo pipefail
for _ in $(seq 1 20); do
  ip netns exec pc dig +time=1 +tries=1 +short portal.corp.example | grep -q . &&
    ip netns exec home curl -s -o /dev/null --max-time 2 http://203.0.113.1/ && break
  sleep 1
done
