#!/usr/bin/env bash
# Wrong: the right order, but the admin server admits 8443 from the whole network instead of shop-lb's group; anything inside reaches it past the load balancer.
set -euo pipefail
cloud security-groups allow shop-lb --protocol tcp --port 8443 --source 203.0.113.0/24
cloud security-groups allow shop-lb --protocol tcp --port 8443 --source 198.51.100.64/27
cloud security-groups allow admin-console --protocol tcp --port 8443 --source 10.20.0.0/16
cloud lb add-listener shop-lb --port 8443 --protocol http --target-group admin-console
cloud dns upsert shop.example --name admin.shop.example --type CNAME --ttl 60 --values shop-lb-lb.eu-west-1.cloud.internal
for _ in $(seq 30); do
  cloud dns resolve admin.shop.example | grep -q shop-lb-lb && break
  sleep 1
done
cloud lb delete admin-lb
cloud lb create --name partners-lb --subnets public-a,public-b --security-groups partners-lb
cloud lb add-listener partners-lb --port 80 --protocol http --target-group partners
cloud target-groups set-health-check partners --health-path /health
dns=$(cloud lb describe partners-lb --query dnsName -o text)
cloud dns upsert shop.example --name partners.shop.example --type CNAME --ttl 60 --values "$dns"
