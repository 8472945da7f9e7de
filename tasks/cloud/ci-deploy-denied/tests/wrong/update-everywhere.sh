#!/usr/bin/env bash
# Wrong: narrow the deny to billing and billing-worker but let the deployer role update every deployment (deployment/*), then run the deploy stage; CI can now change services it must not touch.
set -euo pipefail
cloud iam update-policy pci-guardrails --document '{"statements": [
  {"effect": "Deny", "actions": ["deploy:*"], "resources": ["deployment/billing", "deployment/billing-worker"]},
  {"effect": "Deny", "actions": ["deploy:DeleteDeployment"], "resources": ["*"]}]}'
doc=$(cloud iam get-policy deployer-apps --query "to_string({statements: map(&(contains(resources, 'deployment/shop-*')
  && merge(@, {resources: ['deployment/*']}) || @), statements)})" -o text)
cloud iam update-policy deployer-apps --document "$doc"
/usr/local/bin/ci-deploy billing-api 1.4.0 | tee -a /var/log/ci-deploy.log
