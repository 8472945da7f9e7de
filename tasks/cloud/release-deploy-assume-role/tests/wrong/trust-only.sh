#!/usr/bin/env bash
# Wrong: trust ci-runner instead of jenkins on the role and stop; ci-runner still lacks iam:AssumeRole on it, so the deploy step keeps failing.
set -euo pipefail
cloud iam update-trust deployer --trusted-users ci-runner
cloud iam detach-policy jenkins-ci --user jenkins
systemctl start ci-deploy.service || true
