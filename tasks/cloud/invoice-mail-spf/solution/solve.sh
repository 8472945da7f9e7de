#!/usr/bin/env bash
# billing.shop.example's SPF includes _spf.shop.example, which still lists mail-1's released address and
# not mail-2's; and shop.example has two SPF records since marketing added its newsletter service as a
# record of its own (two records: a permanent error). Put the relay's address in _spf and merge the apex's
# two SPF records into one, keeping the site verification token.
set -euo pipefail
cloud dns zones
cloud dns records shop.example
cloud instances list
cloud dns resolve billing.shop.example --type TXT
cloud dns resolve _spf.shop.example --type TXT
cloud dns upsert shop.example --name _spf.shop.example --type TXT --ttl 300 \
  --values "v=spf1 ip4:198.51.100.13 ip4:192.0.2.40 -all"
token=$(cloud dns records shop.example --query "items[?name=='shop.example.' && type=='TXT'].values" -o text | tr ',' '\n' | grep -v '^v=spf1' | paste -sd,)
cloud dns upsert shop.example --name shop.example --type TXT --ttl 300 \
  --values "v=spf1 include:_spf.shop.example ip4:203.0.113.64/27 -all,$token"
cloud dns records shop.example
