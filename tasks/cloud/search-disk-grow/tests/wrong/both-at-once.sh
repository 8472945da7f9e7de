#!/usr/bin/env bash
# Wrong: take both nodes out at once to swap their disks in one go (freeing quota with the first old disk); search answers nothing until they are back.
set -euo pipefail
wait_for() {
  for _ in $(seq 60); do
    eval "$1" && return 0
    sleep 1
  done
  return 1
}
cloud target-groups deregister search --instances i-0a3c5e7b9d1f4a608,i-0b4d6f8c1e2a5b719
s1=$(cloud snapshots create --volume vol-0a1e4c7f2b5d8a360 --query id -o text)
s2=$(cloud snapshots create --volume vol-0b2f5d8a3c6e9b471 --query id -o text)
wait_for "[ \$(cloud snapshots list --query \"length(items[?(id=='$s1' || id=='$s2') && state=='completed'])\" -o text) = 2 ]"
cloud volumes create --zone eu-west-1a --snapshot "$s1" --size 300 --type ssd --name search-1-data-300
cloud volumes detach vol-0a1e4c7f2b5d8a360
cloud volumes delete vol-0a1e4c7f2b5d8a360
cloud volumes create --zone eu-west-1b --snapshot "$s2" --size 300 --type ssd --name search-2-data-300
cloud volumes detach vol-0b2f5d8a3c6e9b471
cloud volumes delete vol-0b2f5d8a3c6e9b471
wait_for "[ \"\$(cloud volumes describe search-2-data-300 --query state -o text)\" = available ]"
cloud volumes attach search-1-data-300 --instance i-0a3c5e7b9d1f4a608 --device /dev/sdf
cloud volumes attach search-2-data-300 --instance i-0b4d6f8c1e2a5b719 --device /dev/sdf
cloud target-groups register search --instances i-0a3c5e7b9d1f4a608,i-0b4d6f8c1e2a5b719
