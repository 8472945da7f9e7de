#!/usr/bin/env bash
# Wrong: switch DNS to shop-green again without finding why green answers 503; every request fails as in last night's attempt.
set -euo pipefail
lb=$(cloud lb describe shop-green --query dnsName -o text)
cloud dns upsert shop.example --name www.shop.example --type CNAME --values "$lb" --ttl 60
