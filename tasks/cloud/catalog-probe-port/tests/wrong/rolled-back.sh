#!/usr/bin/env bash
# Wrong: roll catalog back to 4.1.2; the deploy alarm stops, but the price-rounding fix in 4.2.0 that finance waits for is not out.
set -euo pipefail
cloud deployments rollback catalog
