#!/usr/bin/env bash
# Wrong: add the new relay and merge the apex, but keep mail-1's released address authorized "in case".
set -euo pipefail
cloud dns upsert shop.example --name _spf.shop.example --type TXT \
  --values "v=spf1 ip4:198.51.100.25 ip4:198.51.100.13 ip4:192.0.2.40 -all"
cloud dns upsert shop.example --name shop.example --type TXT \
  --values "v=spf1 include:_spf.shop.example ip4:203.0.113.64/27 -all,google-site-verification=Qm7Fz2kLr9XcB4tWvN1pHs8JdE6yGa3UoT5iKxC0zRw"
