#!/usr/bin/env bash
# Grader, in the VM: the job is as shipped and its timer survives a reboot; then the office line gets a new
# address and the job, started as its timer starts it, runs and succeeds. What the bastion lets in, and who
# changed it: host-side (tests/cloud-checks.ts).
source /run/opslab-grader/lib.sh

check "the allowlist job is as shipped" \
  'sha256sum --quiet -c - <<<"2f3a8c6d9f4cca58c5623851f0dd4cc44b368cd3b58ec3bf4a80df7488aa5dfb  /usr/local/sbin/office-allowlist"'
check "office-allowlist.timer is enabled at boot and active after a reboot" \
  'enabled_at_boot office-allowlist.timer && reboot_unit office-allowlist.timer'
# NOTE: what a reboot does to the job's unit: configuration made only under /run is gone.
doing step "forgetting the job's runtime configuration"
runtime=$(runtime_config_of office-allowlist.service)
if [ -n "$runtime" ]; then
  xargs -d '\n' rm -rf -- <<<"$runtime"
  systemctl daemon-reload
fi
doing step "the ISP gives the office line a new address (203.0.113.190)"
new_address=no
ip -4 address flush dev wan0 scope global 2>/dev/null &&
  ip address add 203.0.113.190/24 dev wan0 && new_address=yes
# NOTE: a unit whose condition fails is "successful" without running: the job must have run.
check "after the address changes, office-allowlist.service, started as its timer starts it, runs and succeeds" \
  '[ $new_address = yes ] && timeout 60 systemctl start office-allowlist.service &&
   [ "$(systemctl show -p ConditionResult --value office-allowlist.service)" = yes ] &&
   [ "$(systemctl show -p Result --value office-allowlist.service)" = success ]'
finish
