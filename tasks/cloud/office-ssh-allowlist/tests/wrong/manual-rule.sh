#!/usr/bin/env bash
# Wrong: let the office's new address in by hand with the ops key and revoke the old one; the job still never
# runs (its unit waits for ppp0), so the next change of address locks the office out again.
set -euo pipefail
cloud security-groups allow bastion-ssh --protocol tcp --port 22 --source 203.0.113.77/32 --description "office (auto)"
cloud security-groups revoke bastion-ssh --protocol tcp --port 22 --source 192.0.2.44/32
