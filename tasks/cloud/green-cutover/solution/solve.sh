#!/usr/bin/env bash
# Green's servers admit only blue's LB, on blue's port, and its check asks release 1's health path:
# admit green's LB on 8080, check /health/ready, and switch DNS only once green is healthy.
set -euo pipefail
wait_healthy() {
  for _ in $(seq 1 30); do
    [ "$(cloud target-groups health web-green --query "length(items[?state!='healthy'])" -o text)" = 0 ] && return 0
    sleep 2
  done
  return 1
}
cloud target-groups health web-green
cloud security-groups describe web-green
cloud security-groups allow web-green --protocol tcp --port 8080 --source lb-green --description "HTTP from shop-green"
cloud security-groups revoke web-green --protocol tcp --port 80 --source lb-blue
cloud images list --query "items[].{name: name, listens: listens}" -o json
cloud target-groups set-health-check web-green --health-path /health/ready
wait_healthy
lb=$(cloud lb describe shop-green --query dnsName -o text)
cloud dns upsert shop.example --name www.shop.example --type CNAME --values "$lb" --ttl 60
until [ "$(cloud dns resolve www.shop.example --query "ends_with(chain, '$lb.')" -o text)" = true ]; do sleep 1; done
cloud dns resolve www.shop.example
