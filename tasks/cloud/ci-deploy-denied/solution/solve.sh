#!/usr/bin/env bash
# The PCI deny names deployment/billing*, which also matches billing-api, and the deployer's allow
# covers only shop-*: deny exactly the two PCI services, allow billing-api, then re-run the deploy stage.
set -euo pipefail
cat /var/log/ci-deploy.log
cloud iam roles
cloud iam get-policy pci-guardrails -o json
cloud iam update-policy pci-guardrails --document '{"statements": [
  {"effect": "Deny", "actions": ["deploy:*"], "resources": ["deployment/billing", "deployment/billing-worker"]},
  {"effect": "Deny", "actions": ["deploy:DeleteDeployment"], "resources": ["*"]}]}'
doc=$(cloud iam get-policy deployer-apps --query "to_string({statements: map(&(contains(resources, 'deployment/shop-*')
  && merge(@, {resources: [resources, ['deployment/billing-api']][]}) || @), statements)})" -o text)
cloud iam update-policy deployer-apps --document "$doc"
cloud iam simulate --role deployer --action deploy:UpdateDeployment --resource deployment/billing-api
cloud iam simulate --role deployer --action deploy:UpdateDeployment --resource deployment/billing-worker
/usr/local/bin/ci-deploy billing-api 1.4.0 | tee -a /var/log/ci-deploy.log
