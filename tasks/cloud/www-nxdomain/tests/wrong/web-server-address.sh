#!/usr/bin/env bash
# Wrong: point www.shop.example at web-1's address; the name resolves, but to one private server instead of the load balancer that serves both.
set -euo pipefail
ip=$(cloud instances describe web-1 --query privateIp -o text)
cloud dns delete-record shop.example --name www.shop.example --type CNAME
cloud dns upsert shop.example --name www.shop.example --type A --values "$ip" --ttl 60
