#!/usr/bin/env bash
# Grader: search runs 8 ready replicas of its release; every other production deployment kept its replicas and release.
# The runner sets CLOUD_PROFILE to the grader's read-only identity, which exists only while this runs.
set -uo pipefail
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

search='{}'
for _ in 1 2 3 4 5 6 7 8; do
  search=$(cloud deployments describe search -o json) || search='{}'
  jq -e '.replicas == 8 and .ready == "8/8"' <<<"$search" >/dev/null && break
  sleep 3
done
if jq -e '.replicas == 8 and .ready == "8/8"' <<<"$search" >/dev/null; then
  pass "search runs 8 ready replicas"
else
  fail "search: $(jq -c '{replicas, ready}' <<<"$search")"
fi
if jq -e '.image == "shop/search:1.9.4" and .env == {"INDEX_URL": "http://index.prod.shop.internal:9200/products"}' <<<"$search" >/dev/null; then
  pass "search still runs 1.9.4 with its production index"
else
  fail "search's release or settings changed: $(jq -c '{image, env}' <<<"$search")"
fi

deployments=$(cloud deployments list -o json) || deployments='{"items":[]}'
for spec in web:shop/web:2.8.0:6 search-indexer:shop/search-indexer:1.9.4:2 checkout:shop/checkout:3.4.1:6 catalog:shop/catalog:4.1.2:6; do
  IFS=: read -r name repo tag replicas <<<"$spec"
  if jq -e --arg n "$name" --arg i "$repo:$tag" --argjson r "$replicas" \
    'any(.items[]; .name == $n and .image == $i and .replicas == $r and .ready == "\($r)/\($r)")' <<<"$deployments" >/dev/null; then
    pass "$name keeps $replicas ready replicas of $tag"
  else
    fail "$name changed: $(jq -c --arg n "$name" '[.items[] | select(.name == $n) | {image, replicas, ready}]' <<<"$deployments")"
  fi
done
exit $failed
