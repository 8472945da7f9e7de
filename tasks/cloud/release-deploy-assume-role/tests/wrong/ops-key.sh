#!/usr/bin/env bash
# Wrong: run the release profile with the ops team's key and trust ops on the role; the deploy works, through the ops account.
set -euo pipefail
key=$(awk '/^\[default\]/{f=1} f && /access_key_id/{print $3; exit}' /root/.cloud/credentials)
secret=$(awk '/^\[default\]/{f=1} f && /secret_access_key/{print $3; exit}' /root/.cloud/credentials)
sed -i "/^\[release\]/,/^\[/{s/^access_key_id = .*/access_key_id = $key/;s/^secret_access_key = .*/secret_access_key = $secret/}" /root/.cloud/credentials
cloud iam update-trust deployer --trusted-users ops
cloud iam detach-policy jenkins-ci --user jenkins
systemctl start ci-deploy.service
