#!/usr/bin/env bash
# Grader: www goes to shop-green, whose targets are the release-2 servers, all healthy; blue still works as the way back; nothing opened.
# The runner sets CLOUD_PROFILE to the grader's read-only identity, which exists only while this runs.
set -uo pipefail
failed=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }

instances=$(cloud instances list -o json) || instances='{"items":[]}'
images=$(cloud images list -o json) || images='{"items":[]}'
release2=$(jq -r '.items[] | select(.name == "shop-web-2") | .id' <<<"$images")
id_of() { jq -r --arg n "$1" '[.items[] | select(.name == $n) | .id] | first // ""' <<<"$instances"; }

green=$(cloud lb describe shop-green -o json) || green='{}'
dns='{}'
for _ in 1 2 3 4 5; do
  dns=$(cloud dns resolve www.shop.example -o json) || dns='{}'
  jq -e --arg lb "$(jq -r .dnsName <<<"$green")." '(.chain | endswith($lb)) and .answers != ""' <<<"$dns" >/dev/null && break
  sleep 2
done
if jq -e --arg lb "$(jq -r .dnsName <<<"$green")." '(.chain | endswith($lb)) and .answers != ""' <<<"$dns" >/dev/null; then
  pass "www.shop.example resolves through shop-green"
else
  fail "www.shop.example resolves as '$(jq -r '.chain // ""' <<<"$dns")', not through shop-green"
fi

# What shop-green serves on port 80: every target healthy and running release 2, green-1 and green-2 among them.
tg=$(jq -r '[.listeners[]? | select(.port == 80) | .targetGroup] | first // ""' <<<"$green")
health='{"items":[]}'
good() {
  jq -e --argjson inst "$instances" --arg img "$release2" --arg g1 "$(id_of green-1)" --arg g2 "$(id_of green-2)" '
    (.items | length) > 0 and all(.items[]; .state == "healthy")
    and all(.items[]; .instanceId as $i | any($inst.items[]; .id == $i and .imageId == $img))
    and ([.items[].instanceId] | index($g1) and index($g2))' <<<"$health" >/dev/null
}
for _ in 1 2 3 4 5; do
  [ -n "$tg" ] && health=$(cloud target-groups health "$tg" -o json) || health='{"items":[]}'
  good && break
  sleep 3
done
if good; then
  pass "shop-green serves release 2 from green-1 and green-2, all healthy ($tg)"
else
  fail "shop-green port 80 ($tg): $(jq -c '[.items[] | "\(.instanceId) \(.state) \(.reason)"]' <<<"$health")"
fi

blue=$(cloud lb describe shop-blue -o json 2>/dev/null) || blue='{}'
blue_health=$(cloud target-groups health web-blue -o json) || blue_health='{"items":[]}'
if jq -e '.state == "active" and any(.listeners[]; .port == 80 and .targetGroup == "web-blue")' <<<"$blue" >/dev/null &&
  jq -e --arg b1 "$(id_of blue-1)" --arg b2 "$(id_of blue-2)" '
    [.items[] | select(.state == "healthy") | .instanceId] | (index($b1) and index($b2))' <<<"$blue_health" >/dev/null; then
  pass "shop-blue still serves blue-1 and blue-2, healthy (the way back)"
else
  fail "the blue stack no longer works: $(jq -c '[.items[] | "\(.instanceId) \(.state)"]' <<<"$blue_health")"
fi

groups=$(cloud security-groups list -o json) || groups='{"items":[]}'
open=$(jq -r --argjson groups "$groups" '
  [.items[] | select(.name | test("^(blue|green)-[12]$")) | .securityGroups[]] as $used
  | [$groups.items[] | select(.id as $g | $used | index($g)) | select(any(.ingress[]; .source == "0.0.0.0/0")) | .name] | join(" ")' <<<"$instances")
if [ -z "$open" ]; then pass "no web server is reachable from 0.0.0.0/0"; else fail "groups on the web servers open to the internet: $open"; fi

sg() { jq -r --arg n "$1" '.items[] | select(.name == $n) | .id' <<<"$groups"; }
if jq -e --arg b "$(sg web-blue)" --arg g "$(sg web-green)" '.items[] | select(.name == "shop-db")
  | ([.ingress[] | "\(.protocol)/\(.ports)/\(.source)"] | sort) == (["tcp/5432/\($b)", "tcp/5432/\($g)"] | sort)' <<<"$groups" >/dev/null; then
  pass "the database still admits only the web servers on 5432"
else
  fail "the shop-db security group changed"
fi
if jq -e '[.items[] | select(.state == "running") | .name] as $r | ["blue-1", "blue-2", "green-1", "green-2", "db-1"] | all(. as $n | $r | index($n))' <<<"$instances" >/dev/null; then
  pass "all five servers still run"
else
  fail "a server is no longer running: $(jq -c '[.items[] | "\(.name) \(.state)"]' <<<"$instances")"
fi
exit $failed
