#!/usr/bin/env bash
# Grader, in the VM: the deploy stage is still installed; the pipeline's rights and the deploy are checked host-side (tests/cloud-checks.ts).
source /run/opslab-grader/lib.sh
check "the pipeline's deploy stage (ci-deploy) is still installed" '[ -x /usr/local/bin/ci-deploy ]'
finish
