#!/usr/bin/env bash
# Grader, in the VM: the deploy step and its release are as shipped, and the step succeeds as the runner starts it
# (the control plane then shows who made the deploy: tests/cloud-checks.ts).
source /run/opslab-grader/lib.sh

check "the deploy step, its unit and the release are as shipped" 'sha256sum --quiet -c - <<SUMS
6a1d106a654a4a272ffe331ac8e176a6b62bb40fad16b862a72b5f02b6fcb33a  /usr/local/bin/ci-deploy
cebb86a34bfac9a8e8ba9a6337ce52e2627ed98ba435c9656ab49b1eff9d3a73  /etc/systemd/system/ci-deploy.service
a2c569a57fb5c5e63eba153098b029d8856bb0c7ba79b7ec35b1f23cabee8e6e  /etc/ci-runner/release.env
SUMS'
check "the release profile switches to the deployer role" \
  '[ "$(env -i HOME=/root CLOUD_PROFILE=release /usr/local/bin/cloud iam whoami -o json 2>/dev/null | jq -r .principal)" = role/deployer ]'
systemctl daemon-reload
check "the deploy step succeeds as the runner starts it" 'systemctl start ci-deploy.service'
finish
