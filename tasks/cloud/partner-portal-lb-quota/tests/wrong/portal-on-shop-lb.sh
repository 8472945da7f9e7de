#!/usr/bin/env bash
# Wrong: no new load balancer: the partner portal on shop-lb's port 8080; the portal shares the shop's load balancer.
set -euo pipefail
cloud security-groups allow shop-lb --protocol tcp --port 8080 --source 0.0.0.0/0
cloud security-groups allow partners --protocol tcp --port 80 --source shop-lb
cloud target-groups set-health-check partners --health-path /health
cloud lb add-listener shop-lb --port 8080 --protocol http --target-group partners
cloud dns upsert shop.example --name partners.shop.example --type CNAME --ttl 60 --values shop-lb-lb.eu-west-1.cloud.internal
