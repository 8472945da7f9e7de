#!/usr/bin/env bash
# Wrong: pin www.shop.example to the addresses the load balancer answers with today (an A record); it resolves now, and breaks when the load balancer's addresses change.
set -euo pipefail
lb=$(cloud lb list --query "items[?listeners[?targetGroup=='shop-web']].dnsName" -o text)
addresses=$(cloud dns resolve "$lb" --query answers -o text)
cloud dns delete-record shop.example --name www.shop.example --type CNAME
cloud dns upsert shop.example --name www.shop.example --type A --values "$addresses" --ttl 60
