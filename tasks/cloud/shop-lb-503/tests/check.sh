#!/usr/bin/env bash
# Grader: the shop serves through shop-v2, and nothing was opened or broken on the way (read as the grader, host-side state).
# The runner sets CLOUD_PROFILE to the grader's read-only identity, which exists only while this runs.
set -uo pipefail
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

# Targets need a moment after a change (new instances start in "initial"): ask a few times.
healthy=0 others=1 health='{"items":[]}'
for _ in 1 2 3 4; do
  health=$(cloud target-groups health shop-web -o json) || break
  healthy=$(jq '[.items[] | select(.state == "healthy")] | length' <<<"$health")
  others=$(jq '[.items[] | select(.state != "healthy")] | length' <<<"$health")
  [ "$healthy" -ge 2 ] && [ "$others" -eq 0 ] && break
  sleep 3
done
if [ "$healthy" -ge 2 ] && [ "$others" -eq 0 ]; then
  pass "shop-web has $healthy healthy targets and no unhealthy one"
else
  fail "shop-web has $healthy healthy targets and $others others (need 2 or more, all healthy)"
fi

lb=$(cloud lb describe shop-v2 -o json) || lb='{}'
if jq -e '.state == "active" and any(.listeners[]; .port == 80 and .targetGroup == "shop-web")' <<<"$lb" >/dev/null; then
  pass "shop-v2 is active and forwards port 80 to shop-web"
else
  fail "shop-v2 no longer forwards port 80 to shop-web"
fi

dns=$(cloud dns resolve www.shop.example -o json) || dns='{}'
if jq -e --arg lb "$(jq -r .dnsName <<<"$lb")." '(.chain | endswith($lb)) and .answers != ""' <<<"$dns" >/dev/null; then
  pass "www.shop.example still resolves to shop-v2"
else
  fail "www.shop.example does not resolve through shop-v2 ($(jq -r .chain <<<"$dns"))"
fi

instances=$(cloud instances list -o json) || instances='{"items":[]}'
groups=$(cloud security-groups list -o json) || groups='{"items":[]}'
group_of() { jq -c --arg n "$1" '.items[] | select(.name == $n)' <<<"$groups"; }

# Every group on the load balancer's targets must stay closed to the internet.
open=$(jq -r --argjson health "$health" --argjson groups "$groups" '
  [$health.items[].instanceId] as $targets
  | [.items[] | select(.id as $id | $targets | index($id)) | .securityGroups[]] as $used
  | [$groups.items[] | select(.id as $g | $used | index($g)) | select(any(.ingress[]; .source == "0.0.0.0/0")) | .name]
  | join(" ")' <<<"$instances")
if [ -z "$open" ]; then pass "no web server is reachable from 0.0.0.0/0"; else fail "groups on the web servers open to the internet: $open"; fi

if group_of shop-web | jq -e 'any(.ingress[]; .protocol == "tcp" and .ports == "22" and .source == "10.20.50.0/24")' >/dev/null; then
  pass "SSH from the ops subnet to the web servers still works"
else
  fail "the SSH rule from the ops subnet (10.20.50.0/24) to shop-web is gone"
fi

web_id=$(group_of shop-web | jq -r .id)
if group_of shop-db | jq -e --arg web "$web_id" '[.ingress[] | "\(.protocol)/\(.ports)/\(.source)"] == ["tcp/5432/\($web)"]' >/dev/null; then
  pass "the database still admits only the web servers on 5432"
else
  fail "the database's security group changed: $(group_of shop-db | jq -c .ingress)"
fi

if jq -e '[.items[] | select(.name == "db-1" and .state == "running")] | length == 1' <<<"$instances" >/dev/null; then
  pass "db-1 still runs"
else
  fail "db-1 is not running any more"
fi
exit $failed
