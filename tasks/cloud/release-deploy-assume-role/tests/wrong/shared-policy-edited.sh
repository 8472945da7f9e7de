#!/usr/bin/env bash
# Wrong: add the switch to the runners' shared base policy; the pull-request preview runner gets iam:AssumeRole on the production role too.
set -euo pipefail
cloud iam update-policy ci-runner-base --document '{"statements": [{"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/deployer-staging", "role/deployer"]}, {"effect": "Allow", "actions": ["registry:ListImages", "deploy:ListDeployments"]}]}'
cloud iam update-trust deployer --trusted-users ci-runner
cloud iam detach-policy jenkins-ci --user jenkins
systemctl start ci-deploy.service
