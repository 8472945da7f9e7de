#!/usr/bin/env bash
# One node at a time: take it out of the load balancer, snapshot its disk, restore the snapshot on a 300 GiB ssd
# volume in its zone, swap the disks, put it back and wait until it is healthy, then delete the old disk (its
# snapshot is kept). The storage quota (2000 GiB, 1450 in use) holds one new disk at a time: the first node's old
# disk must be gone before the second node's new one fits.
set -euo pipefail
# wait_for CODE: runs CODE every second until it succeeds (60 s at most).
wait_for() {
  for _ in $(seq 60); do
    eval "$1" && return 0
    sleep 1
  done
  return 1
}
cloud quotas list
cloud volumes list
cloud target-groups health search
# grow NODE ID ZONE OLD_VOLUME
grow() {
  local node=$1 id=$2 zone=$3 old=$4 snap
  cloud target-groups deregister search --instances "$id"
  snap=$(cloud snapshots create --volume "$old" --description "$node-data before growing it to 300 GiB (OPS-8830)" --query id -o text)
  wait_for "[ \"\$(cloud snapshots list --query \"length(items[?id=='$snap' && state=='completed'])\" -o text)\" -ge 1 ]"
  cloud volumes create --zone "$zone" --snapshot "$snap" --size 300 --type ssd --name "$node-data-300"
  wait_for "[ \"\$(cloud volumes describe $node-data-300 --query state -o text)\" = available ]"
  cloud volumes detach "$old"
  cloud volumes attach "$node-data-300" --instance "$id" --device /dev/sdf
  cloud target-groups register search --instances "$id"
  wait_for "[ \"\$(cloud target-groups health search --query \"length(items[?instanceId=='$id' && state=='healthy'])\" -o text)\" -ge 1 ]"
  cloud volumes delete "$old"
}
grow search-1 i-0a3c5e7b9d1f4a608 eu-west-1a vol-0a1e4c7f2b5d8a360
grow search-2 i-0b4d6f8c1e2a5b719 eu-west-1b vol-0b2f5d8a3c6e9b471
cloud volumes list
cloud target-groups health search
