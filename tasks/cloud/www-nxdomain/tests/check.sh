#!/usr/bin/env bash
# Grader: www.shop.example resolves through the load balancer of the web servers; the rest of the zone and the LBs are as they were.
# The runner sets CLOUD_PROFILE to the grader's read-only identity, which exists only while this runs.
set -uo pipefail
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

lbs=$(cloud lb list -o json) || lbs='{"items":[]}'
web_lb=$(jq -r '[.items[] | select(.state == "active" and any(.listeners[]; .port == 80 and .targetGroup == "shop-web")) | .dnsName] | first // ""' <<<"$lbs")
api_lb=$(jq -r '[.items[] | select(.name == "api-v2") | .dnsName] | first // ""' <<<"$lbs")

# A change needs a few seconds to propagate: ask a few times.
www='{}'
for _ in 1 2 3 4 5; do
  www=$(cloud dns resolve www.shop.example -o json) || www='{}'
  jq -e --arg lb "$web_lb." '$lb != "." and (.chain | endswith($lb)) and .answers != ""' <<<"$www" >/dev/null && break
  sleep 2
done
if jq -e --arg lb "$web_lb." '$lb != "." and (.chain | endswith($lb)) and .answers != ""' <<<"$www" >/dev/null; then
  pass "www.shop.example resolves through the web servers' load balancer ($web_lb)"
else
  fail "www.shop.example resolves as '$(jq -r '.chain // ""' <<<"$www")' -> '$(jq -r '.answers // ""' <<<"$www")', not through the load balancer of shop-web"
fi

health=$(cloud target-groups health shop-web -o json) || health='{"items":[]}'
if jq -e '(.items | length) == 2 and all(.items[]; .state == "healthy")' <<<"$health" >/dev/null; then
  pass "both web servers are healthy behind it"
else
  fail "shop-web targets: $(jq -c '[.items[] | "\(.instanceId) \(.state)"]' <<<"$health")"
fi

api=$(cloud dns resolve api.shop.example -o json) || api='{}'
if jq -e --arg lb "$api_lb." '$lb != "." and (.chain | endswith($lb)) and .answers != ""' <<<"$api" >/dev/null; then
  pass "api.shop.example still resolves through api-v2"
else
  fail "api.shop.example changed: $(jq -r '.chain // ""' <<<"$api")"
fi

mx=$(cloud dns resolve shop.example --type MX -o json) || mx='{}'
txt=$(cloud dns resolve shop.example --type TXT -o json) || txt='{}'
if jq -e '.answers == "10 mx1.mail.example"' <<<"$mx" >/dev/null && jq -e '.answers == "v=spf1 include:mail.example -all"' <<<"$txt" >/dev/null; then
  pass "the zone's mail records are unchanged"
else
  fail "the zone's MX or TXT record changed"
fi
exit $failed
