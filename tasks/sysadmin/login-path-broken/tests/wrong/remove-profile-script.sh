#!/usr/bin/env bash
# Wrong: delete the rollout's profile script; the usual commands are back, but acmectl and its ACME_HOME are gone from every login.
set -euo pipefail
rm /etc/profile.d/acme-tools.sh
