#!/usr/bin/env bash
# The account is at its limit of 3 load balancers; ARCH-12 moves the admin console onto shop-lb's port 8443.
# Before admin.shop.example moves: shop-lb must let the office and the VPN (only) in on 8443, and the admin
# servers must let shop-lb in (their group admits admin-lb's group only). Only once the name has moved may
# admin-lb go. Then partners-lb, whose prepared target group checks /healthz where the portal serves /health.
set -euo pipefail
cloud lb list
cloud quotas list
cloud lb describe admin-lb
cloud security-groups describe admin-lb
cloud security-groups describe admin-console
# NOTE: a rule or listener that is there already (an agent's half fix, when explaining a run) is what this
# script wants, not a failure (the grader decides).
cloud security-groups allow shop-lb --protocol tcp --port 8443 --source 203.0.113.0/24 --description "admin console: office" || true
cloud security-groups allow shop-lb --protocol tcp --port 8443 --source 198.51.100.64/27 --description "admin console: VPN pool" || true
cloud security-groups allow admin-console --protocol tcp --port 8443 --source shop-lb --description "from shop-lb (ARCH-12)" || true
cloud lb add-listener shop-lb --port 8443 --protocol http --target-group admin-console || true
cloud target-groups health admin-console
cloud dns upsert shop.example --name admin.shop.example --type CNAME --ttl 60 --values shop-lb-lb.eu-west-1.cloud.internal
for _ in $(seq 30); do
  cloud dns resolve admin.shop.example | grep -q 'shop-lb-lb' && break
  sleep 1
done
cloud lb delete admin-lb
cloud security-groups revoke admin-console --protocol tcp --port 8443 --source admin-lb || true
cloud lb create --name partners-lb --subnets public-a,public-b --security-groups partners-lb
cloud lb add-listener partners-lb --port 80 --protocol http --target-group partners
cloud target-groups health partners
cloud images list --query "items[?starts_with(name, 'partner')].listens" -o json
cloud target-groups set-health-check partners --health-path /health
dns=$(cloud lb describe partners-lb --query dnsName -o text)
cloud dns upsert shop.example --name partners.shop.example --type CNAME --ttl 60 --values "$dns"
for _ in $(seq 30); do
  [ "$(cloud target-groups health partners | grep -c ' healthy')" = 2 ] && break
  sleep 1
done
cloud dns resolve partners.shop.example
