#!/usr/bin/env bash
# Wrong: makes the fix with live nft commands only (the set's range, an exemption before the limit); the crawlers get everything now, and after edge's next reboot the old rules are back.
set -euo pipefail
on edge nft delete element inet filter partners '{ 192.0.2.16/28 }'
on edge nft add element inet filter partners '{ 192.0.2.80/28 }'
on edge nft insert rule inet scrubbing prerouting iifname eth0 ip saddr 192.0.2.80/28 accept
