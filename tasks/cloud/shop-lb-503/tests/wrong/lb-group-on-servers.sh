#!/usr/bin/env bash
# Wrong: give the web servers the load balancer's own group as well (it admits 80 and 443 from anywhere); they turn healthy, and open to the internet.
set -euo pipefail
for web in web-1 web-2; do
  cloud instances set-security-groups "$web" --security-groups shop-web,shop-lb
done
