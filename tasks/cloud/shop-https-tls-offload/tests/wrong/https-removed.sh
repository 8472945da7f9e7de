#!/usr/bin/env bash
# Wrong: remove the broken HTTPS listener ("HTTP works") and add web-3 to shop-web; the shop has no HTTPS any more.
set -euo pipefail
web3=$(cloud instances list --query "items[?name=='web-3'].id" -o text)
cloud lb remove-listener shop-lb --port 443
cloud target-groups register shop-web --instances "$web3"
