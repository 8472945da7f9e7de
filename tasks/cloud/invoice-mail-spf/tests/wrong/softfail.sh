#!/usr/bin/env bash
# Wrong: authorize the relay's whole /24 and soften both policies to ~all so that "nothing bounces any more".
set -euo pipefail
cloud dns upsert shop.example --name _spf.shop.example --type TXT --values "v=spf1 ip4:198.51.100.0/24 ip4:192.0.2.40 ~all"
cloud dns upsert shop.example --name billing.shop.example --type TXT --values "v=spf1 include:_spf.shop.example ~all"
cloud dns upsert shop.example --name shop.example --type TXT \
  --values "v=spf1 include:_spf.shop.example ip4:203.0.113.64/27 ~all,google-site-verification=Qm7Fz2kLr9XcB4tWvN1pHs8JdE6yGa3UoT5iKxC0zRw"
