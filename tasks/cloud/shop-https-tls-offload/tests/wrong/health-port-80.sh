#!/usr/bin/env bash
# Wrong: move shop-web-tls's health check to port 80 (its targets turn healthy) and add web-3 to shop-web; HTTPS traffic still goes to 443, where nothing listens any more.
set -euo pipefail
web3=$(cloud instances list --query "items[?name=='web-3'].id" -o text)
cloud target-groups set-health-check shop-web-tls --health-port 80
cloud target-groups register shop-web --instances "$web3"
