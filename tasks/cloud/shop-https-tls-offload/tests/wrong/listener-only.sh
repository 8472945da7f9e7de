#!/usr/bin/env bash
# Wrong: forward HTTPS to shop-web and stop there; web-3 was only ever in the old target group and now takes no traffic at all.
set -euo pipefail
cloud lb remove-listener shop-lb --port 443
cloud lb add-listener shop-lb --port 443 --protocol http --target-group shop-web
