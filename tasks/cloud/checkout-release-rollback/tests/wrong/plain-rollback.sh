#!/usr/bin/env bash
# Wrong: a plain rollback; it returns to the revision before the on-call's last attempt (2.9.0 with the /ready probe), still the broken release.
set -euo pipefail
cloud deployments rollback checkout
