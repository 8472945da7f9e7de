#!/usr/bin/env bash
# Wrong: add ci-runner beside jenkins (role trust and policy) and leave Jenkins' rights as they were; the decommissioned account can still deploy.
set -euo pipefail
cloud iam create-policy ci-runner-release --document '{"statements": [{"effect": "Allow", "actions": ["iam:AssumeRole"], "resources": ["role/deployer"]}]}'
cloud iam attach-policy ci-runner-release --user ci-runner
cloud iam update-trust deployer --trusted-users jenkins,ci-runner
systemctl start ci-deploy.service
