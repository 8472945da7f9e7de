#!/usr/bin/env bash
# Wrong: the right order, but shop-lb's 8443 opened to 0.0.0.0/0 (shop-lb is internet-facing anyway); the admin console is now on the internet.
set -euo pipefail
cloud security-groups allow shop-lb --protocol tcp --port 8443 --source 0.0.0.0/0
cloud security-groups allow admin-console --protocol tcp --port 8443 --source shop-lb
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
