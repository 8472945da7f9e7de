#!/usr/bin/env bash
# Wrong: merge the apex's two records and add the relay there only; the invoices' domain still includes the
# stale _spf list, so invoices keep bouncing.
set -euo pipefail
cloud dns upsert shop.example --name shop.example --type TXT \
  --values "v=spf1 ip4:198.51.100.13 include:_spf.shop.example ip4:203.0.113.64/27 -all,google-site-verification=Qm7Fz2kLr9XcB4tWvN1pHs8JdE6yGa3UoT5iKxC0zRw"
