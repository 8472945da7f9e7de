#!/usr/bin/env bash
# INC-4471's block covers the whole 198.51.100.0/24, Northwind's 198.51.100.64/26 included, twice: edge
# drops the range in its raw prerouting and null-routes it (so the API's answers would be swallowed
# too); and Northwind's range was never added to the partners' set. Narrow both blocks to the two
# attack ranges and add the partner, in edge's files and live.
set -euo pipefail
on partner curl -s --max-time 3 http://203.0.113.2:8080/v1/ping || true
on contoso curl -s --max-time 3 http://203.0.113.2:8080/v1/ping
on edge nft list ruleset
on edge ip route
# The attack ranges only, in the blocklist; Northwind among the partners.
sed -i -e 's#^        elements = { 198.51.100.0/24 }$#        elements = { 198.51.100.0/26, 198.51.100.128/25 }#' \
  -e 's#^        elements = { 192.0.2.0/24 }$#        elements = { 192.0.2.0/24, 198.51.100.64/26 }#' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
on partner curl -s --max-time 3 http://203.0.113.2:8080/v1/ping || true
on edge ip route get 198.51.100.70 || true
# The null route too: the attack ranges only.
sed -i 's#^    up ip route add blackhole 198.51.100.0/24$#    up ip route add blackhole 198.51.100.0/26\n    up ip route add blackhole 198.51.100.128/25#' /etc/netns/edge/network/interfaces
on edge ip route del blackhole 198.51.100.0/24
on edge ip route add blackhole 198.51.100.0/26
on edge ip route add blackhole 198.51.100.128/25
on partner curl -s --max-time 5 http://203.0.113.2:8080/v1/ping
on contoso curl -s --max-time 5 http://203.0.113.2:8080/v1/ping
