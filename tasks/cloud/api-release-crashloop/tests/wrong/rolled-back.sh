#!/usr/bin/env bash
# Wrong: roll api back to 2.2.1; every replica is ready again, but 2.3.0, which the ticket needs out today, is not.
set -euo pipefail
cloud deployments rollback api
