#!/usr/bin/env bash
# Grader: catalog serves 4.2.0 on all 3 replicas with its settings unchanged; search is untouched.
# The runner sets CLOUD_PROFILE to the grader's read-only identity, which exists only while this runs.
set -uo pipefail
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

catalog='{}'
for _ in 1 2 3 4 5 6; do
  catalog=$(cloud deployments describe catalog -o json) || catalog='{}'
  jq -e '.image == "shop/catalog:4.2.0" and .ready == "3/3" and (.rollout | test("successfully rolled out"))' <<<"$catalog" >/dev/null && break
  sleep 3
done
if jq -e '.image == "shop/catalog:4.2.0"' <<<"$catalog" >/dev/null; then pass "catalog runs release 4.2.0"; else fail "catalog runs $(jq -r .image <<<"$catalog"), not shop/catalog:4.2.0"; fi
if jq -e '.replicas == 3 and .ready == "3/3" and ([.pods[] | select(.image == "shop/catalog:4.2.0" and .ready)] | length == 3)' <<<"$catalog" >/dev/null; then
  pass "all 3 replicas run 4.2.0 and are ready"
else
  fail "replicas: $(jq -c '{replicas, ready, pods: [.pods[]? | "\(.image) \(.status) ready=\(.ready)"]}' <<<"$catalog")"
fi
if jq -e '.rollout | test("successfully rolled out")' <<<"$catalog" >/dev/null; then pass "the rollout finished"; else fail "rollout: $(jq -r .rollout <<<"$catalog")"; fi
if jq -e '.env == {"DATABASE_URL": "postgres://catalog@db.prod.shop.internal:5432/catalog", "CURRENCY": "EUR"}' <<<"$catalog" >/dev/null; then
  pass "catalog's environment is unchanged"
else
  fail "catalog's environment changed: $(jq -c .env <<<"$catalog")"
fi

search=$(cloud deployments describe search -o json) || search='{}'
if jq -e '.image == "shop/search:1.9.4" and .ready == "2/2" and .revision == 1' <<<"$search" >/dev/null; then
  pass "search is untouched and ready"
else
  fail "search changed: $(jq -c '{image, ready, revision}' <<<"$search")"
fi
exit $failed
