#!/usr/bin/env bash
# Wrong: a correct cut-over, then blue's load balancer deleted as "no longer needed"; the way back the ticket asks to keep until Friday is gone.
set -euo pipefail
cloud security-groups allow web-green --protocol tcp --port 8080 --source lb-green --description "HTTP from shop-green"
cloud target-groups set-health-check web-green --health-path /health/ready
lb=$(cloud lb describe shop-green --query dnsName -o text)
cloud dns upsert shop.example --name www.shop.example --type CNAME --values "$lb" --ttl 60
cloud lb delete shop-blue
