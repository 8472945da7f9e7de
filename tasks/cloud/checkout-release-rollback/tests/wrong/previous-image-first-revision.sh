#!/usr/bin/env bash
# Wrong: roll back to the first revision of 2.8.0; it rolls out, on the old payment API (Monday's change is lost).
set -euo pipefail
cloud deployments rollback checkout --to-revision 2
