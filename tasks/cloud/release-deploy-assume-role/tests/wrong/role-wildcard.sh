#!/usr/bin/env bash
# Wrong: let ci-runner switch to any role (role/*) rather than to the deployer role alone.
set -euo pipefail
cloud iam create-policy ci-runner-release --document '{"statements": [{"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/*"]}]}'
cloud iam attach-policy ci-runner-release --user ci-runner
cloud iam update-trust deployer --trusted-users ci-runner
cloud iam detach-policy jenkins-ci --user jenkins
systemctl start ci-deploy.service
