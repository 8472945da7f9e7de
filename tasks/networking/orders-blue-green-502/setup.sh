#!/usr/bin/env bash
# After the switch to green (files/: api.corp.example points at green), blue was stopped. gw's nginx
# still sends to blue: it resolves the API's name once, at start, and gw's /etc/hosts pins it to blue (an
# old workaround for gw's own firewall, whose output chain lets no DNS query out).
set -euo pipefail
for _ in $(seq 1 20); do
  ip netns exec ns curl -s -o /dev/null --max-time 2 http://10.0.2.22:8080/v1/orders &&
    ip netns exec gw curl -s -o /dev/null --max-time 2 http://127.0.0.1/ && break
  sleep 1
done
systemctl stop blue-nginx
