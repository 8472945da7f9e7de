#!/usr/bin/env bash
# Wrong: the right order, but each node's new disk is restored from last night's snapshot (completed, no waiting); today's indexed orders are lost.
set -euo pipefail
wait_for() {
  for _ in $(seq 60); do
    eval "$1" && return 0
    sleep 1
  done
  return 1
}
grow() {
  local node=$1 id=$2 zone=$3 old=$4 snap=$5
  cloud target-groups deregister search --instances "$id"
  cloud volumes create --zone "$zone" --snapshot "$snap" --size 300 --type ssd --name "$node-data-300"
  wait_for "[ \"\$(cloud volumes describe $node-data-300 --query state -o text)\" = available ]"
  cloud volumes detach "$old"
  cloud volumes attach "$node-data-300" --instance "$id" --device /dev/sdf
  cloud target-groups register search --instances "$id"
  wait_for "[ \"\$(cloud target-groups health search --query \"length(items[?instanceId=='$id' && state=='healthy'])\" -o text)\" -ge 1 ]"
  cloud volumes delete "$old"
}
grow search-1 i-0a3c5e7b9d1f4a608 eu-west-1a vol-0a1e4c7f2b5d8a360 snap-0e5c8a2d6f9b3e7a4
grow search-2 i-0b4d6f8c1e2a5b719 eu-west-1b vol-0b2f5d8a3c6e9b471 snap-0f6d9b3e7a1c4f8b5
