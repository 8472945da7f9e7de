#!/usr/bin/env bash
# The DNS server's baseline drop-in (files/) has local-service: dnsmasq answers only hosts on a subnet of
# its own interfaces, and ignores the branch office (10.0.7.0/24, routed by rtr).
set -euo pipefail
for _ in $(seq 1 20); do ip netns exec pc dig +time=1 +tries=1 +short wiki.corp.example | grep -q . && break; sleep 1; done
