#!/usr/bin/env bash
# Wrong: swap each node's disk without taking it out of the load balancer ("the swap takes a second"); between detach and attach the node answers searches with no index.
set -euo pipefail
wait_for() {
  for _ in $(seq 60); do
    eval "$1" && return 0
    sleep 1
  done
  return 1
}
grow() {
  local node=$1 id=$2 zone=$3 old=$4 snap
  snap=$(cloud snapshots create --volume "$old" --query id -o text)
  wait_for "[ \"\$(cloud snapshots list --query \"length(items[?id=='$snap' && state=='completed'])\" -o text)\" -ge 1 ]"
  cloud volumes create --zone "$zone" --snapshot "$snap" --size 300 --type ssd --name "$node-data-300"
  wait_for "[ \"\$(cloud volumes describe $node-data-300 --query state -o text)\" = available ]"
  cloud volumes detach "$old"
  cloud volumes attach "$node-data-300" --instance "$id" --device /dev/sdf
  cloud volumes delete "$old"
}
grow search-1 i-0a3c5e7b9d1f4a608 eu-west-1a vol-0a1e4c7f2b5d8a360
grow search-2 i-0b4d6f8c1e2a5b719 eu-west-1b vol-0b2f5d8a3c6e9b471
