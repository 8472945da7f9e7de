#!/usr/bin/env bash
# Wrong: free the quota by deleting the status page's load balancer instead (it is "only" the status page); status.shop.example goes dark.
set -euo pipefail
cloud lb delete status-lb
cloud lb create --name partners-lb --subnets public-a,public-b --security-groups partners-lb
cloud lb add-listener partners-lb --port 80 --protocol http --target-group partners
cloud target-groups set-health-check partners --health-path /health
dns=$(cloud lb describe partners-lb --query dnsName -o text)
cloud dns upsert shop.example --name partners.shop.example --type CNAME --ttl 60 --values "$dns"
