#!/usr/bin/env bash
# Wrong: makes the whole fix with live commands only (the sets' elements, the null routes); Northwind gets in now, and after edge's next reboot the old block is back.
set -euo pipefail
on edge nft delete element inet filter blocklist '{ 198.51.100.0/24 }'
on edge nft add element inet filter blocklist '{ 198.51.100.0/26, 198.51.100.128/25 }'
on edge nft add element inet filter partners '{ 198.51.100.64/26 }'
on edge ip route del blackhole 198.51.100.0/24
on edge ip route add blackhole 198.51.100.0/26
on edge ip route add blackhole 198.51.100.128/25
