#!/usr/bin/env bash
# Wrong: let 8080 into the green servers from 10.0.0.0/8 instead of shop-green's group, fix the health check and switch DNS; every server in the network reaches them directly.
set -euo pipefail
cloud security-groups allow web-green --protocol tcp --port 8080 --source 10.0.0.0/8 --description "HTTP from inside"
cloud target-groups set-health-check web-green --health-path /health/ready
lb=$(cloud lb describe shop-green --query dnsName -o text)
cloud dns upsert shop.example --name www.shop.example --type CNAME --values "$lb" --ttl 60
