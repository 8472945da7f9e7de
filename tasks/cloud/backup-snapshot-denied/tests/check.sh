#!/usr/bin/env bash
# Grader, in the VM: the job is still installed to run tonight; its rights and snapshots are checked host-side (tests/cloud-checks.ts).
source /run/opslab-grader/lib.sh
check "the nightly-snapshots job is still installed" '[ -x /usr/local/bin/nightly-snapshots ]'
finish
