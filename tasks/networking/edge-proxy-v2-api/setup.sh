#!/usr/bin/env bash
# CHG-4733 as it was left (files/): gw's nginx sends /v2/ to app2, but gw has no route to the application
# segment behind core (task.toml), its proxy_pass ends in "/" (app2 gets /cart/... instead of
# /v2/cart/...), and the location's own proxy_set_header Host drops the server-level X-Forwarded-For.
# gw's error log holds last week's unrelated app1 outage.
set -euo pipefail
for _ in $(seq 1 20); do
  ip netns exec gw curl -s -o /dev/null http://127.0.0.1/v1/cart/1 &&
    ip netns exec core curl -s -o /dev/null http://10.0.4.20:8080/ && break
  sleep 1
done
