#!/usr/bin/env bash
# Wrong: fix the relay's address, and end the apex's permanent error by deleting marketing's newsletter record;
# the newsletters now fail SPF.
set -euo pipefail
cloud dns upsert shop.example --name _spf.shop.example --type TXT --values "v=spf1 ip4:198.51.100.13 ip4:192.0.2.40 -all"
cloud dns upsert shop.example --name shop.example --type TXT \
  --values "v=spf1 include:_spf.shop.example -all,google-site-verification=Qm7Fz2kLr9XcB4tWvN1pHs8JdE6yGa3UoT5iKxC0zRw"
