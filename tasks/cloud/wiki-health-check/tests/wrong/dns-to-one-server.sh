#!/usr/bin/env bash
# Wrong: point wiki.corp.internal straight at wiki-1; the wiki answers again, from one server, past the load balancer, and goes down with it.
set -euo pipefail
ip=$(cloud instances describe wiki-1 --query privateIp -o text)
cloud dns delete-record corp.internal --name wiki.corp.internal --type CNAME
cloud dns upsert corp.internal --name wiki.corp.internal --type A --values "$ip" --ttl 60
