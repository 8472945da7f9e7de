#!/usr/bin/env bash
# Wrong: publish the new relay as one more SPF string beside the old one, here and at the apex: two SPF records
# are a permanent error (RFC 7208 4.5), so receivers fail every sender of both domains.
set -euo pipefail
cloud dns upsert shop.example --name billing.shop.example --type TXT \
  --values "v=spf1 include:_spf.shop.example -all,v=spf1 ip4:198.51.100.13 -all"
cloud dns upsert shop.example --name shop.example --type TXT \
  --values "v=spf1 include:_spf.shop.example -all,google-site-verification=Qm7Fz2kLr9XcB4tWvN1pHs8JdE6yGa3UoT5iKxC0zRw,v=spf1 ip4:203.0.113.64/27 -all,v=spf1 ip4:198.51.100.13 -all"
