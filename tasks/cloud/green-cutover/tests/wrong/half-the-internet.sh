#!/usr/bin/env bash
# Wrong: let 8080 into the green servers from 0.0.0.0/1 (not "0.0.0.0/0"), fix the health check and switch DNS; green serves, but half the internet reaches its servers past the load balancer.
set -euo pipefail
cloud security-groups allow web-green --protocol tcp --port 8080 --source 0.0.0.0/1 --description "HTTP"
cloud target-groups set-health-check web-green --health-path /health/ready
lb=$(cloud lb describe shop-green --query dnsName -o text)
cloud dns upsert shop.example --name www.shop.example --type CNAME --values "$lb" --ttl 60
