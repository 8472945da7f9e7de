#!/usr/bin/env bash
# Two things stop Marketplace: edge's partners set still has its old range, so the feed (partners only)
# drops the new crawlers; and INC-4630's per-source limit sits in a table of its own at prerouting,
# which drops before the forward chain's "partners, no rate limit" accept is ever reached (an accept
# ends its own chain only). Put the new range in the set, exempt it in the limiting chain, in edge's
# nftables.conf, and load it.
set -euo pipefail
# batch: the crawler asks for 50 pages at once; how many got which status (000: no answer).
batch() {
  on crawler "curl -s --parallel --parallel-immediate --parallel-max 50 --connect-timeout 2 --max-time 5 -w '%{http_code}\n' $(printf -- '-o /dev/null http://203.0.113.2/p/%d ' $(seq 50)) 2>/dev/null; true" | sort | uniq -c
}
on crawler curl -s --max-time 3 http://203.0.113.2:8081/feed.json || true
batch
on edge nft list ruleset
# The crawlers' new range in the partners set (their old one is someone else's now).
sed -i 's#^        elements = { 192.0.2.16/28 }$#        elements = { 192.0.2.80/28 }#' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
on crawler curl -s --max-time 3 http://203.0.113.2:8081/feed.json
batch
on edge nft list chain inet scrubbing prerouting
# The partners skip the limit where it is applied, before it.
sed -i 's#^        iifname "eth0" tcp dport 80 ct state new update @flood#        iifname "eth0" ip saddr 192.0.2.80/28 accept comment "partner crawlers (inet filter @partners): no rate limit"\n&#' /etc/netns/edge/nftables.conf
on edge nft -f /etc/nftables.conf
batch
