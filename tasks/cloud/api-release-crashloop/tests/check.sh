#!/usr/bin/env bash
# Grader: api serves 2.3.0 on every replica with the production cache and database; the worker is untouched.
# The runner sets CLOUD_PROFILE to the grader's read-only identity, which exists only while this runs.
set -uo pipefail
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

api='{}'
for _ in 1 2 3 4 5 6; do
  api=$(cloud deployments describe api -o json) || api='{}'
  jq -e '.image == "shop/api:2.3.0" and .ready == "3/3" and (.rollout | test("successfully rolled out"))' <<<"$api" >/dev/null && break
  sleep 3
done
if jq -e '.image == "shop/api:2.3.0"' <<<"$api" >/dev/null; then pass "api runs release 2.3.0"; else fail "api runs $(jq -r .image <<<"$api"), not shop/api:2.3.0"; fi
if jq -e '.ready == "3/3" and ([.pods[] | select(.image == "shop/api:2.3.0" and .ready)] | length == 3)' <<<"$api" >/dev/null; then
  pass "all 3 replicas run 2.3.0 and are ready"
else
  fail "replicas: $(jq -c '[.pods[] | "\(.image) \(.status) ready=\(.ready)"]' <<<"$api")"
fi
if jq -e '.rollout | test("successfully rolled out")' <<<"$api" >/dev/null; then pass "the rollout finished"; else fail "rollout: $(jq -r .rollout <<<"$api")"; fi
if jq -e '.env.REDIS_URL // "" | test("^redis://(cache\\.prod\\.shop\\.internal|10\\.20\\.12\\.5):6379(/0)?$")' <<<"$api" >/dev/null; then
  pass "api uses the production cache"
else
  fail "api's REDIS_URL is '$(jq -r '.env.REDIS_URL // ""' <<<"$api")', not the production cache"
fi
if jq -e '.env.DATABASE_URL == "postgres://api@db.prod.shop.internal:5432/shop" and .env.LOG_LEVEL == "info"' <<<"$api" >/dev/null; then
  pass "api's other settings are unchanged"
else
  fail "api's DATABASE_URL or LOG_LEVEL changed"
fi

worker=$(cloud deployments describe worker -o json) || worker='{}'
if jq -e '.image == "shop/worker:2.3.0" and .ready == "2/2" and .revision == 1' <<<"$worker" >/dev/null; then
  pass "the worker is untouched and ready"
else
  fail "the worker changed: $(jq -c '{image, ready, revision}' <<<"$worker")"
fi
exit $failed
