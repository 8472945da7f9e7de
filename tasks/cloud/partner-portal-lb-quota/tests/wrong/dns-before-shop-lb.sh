#!/usr/bin/env bash
# Wrong: move admin.shop.example onto shop-lb first and open shop-lb's 8443 after; for a while the name points at a load balancer that does not serve it.
set -euo pipefail
cloud dns upsert shop.example --name admin.shop.example --type CNAME --ttl 60 --values shop-lb-lb.eu-west-1.cloud.internal
sleep 6
cloud security-groups allow shop-lb --protocol tcp --port 8443 --source 203.0.113.0/24
cloud security-groups allow shop-lb --protocol tcp --port 8443 --source 198.51.100.64/27
cloud security-groups allow admin-console --protocol tcp --port 8443 --source shop-lb
cloud lb add-listener shop-lb --port 8443 --protocol http --target-group admin-console
sleep 6
cloud lb delete admin-lb
cloud lb create --name partners-lb --subnets public-a,public-b --security-groups partners-lb
cloud lb add-listener partners-lb --port 80 --protocol http --target-group partners
cloud target-groups set-health-check partners --health-path /health
dns=$(cloud lb describe partners-lb --query dnsName -o text)
cloud dns upsert shop.example --name partners.shop.example --type CNAME --ttl 60 --values "$dns"
