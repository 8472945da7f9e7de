#!/usr/bin/env bash
# Wrong: delete the archived audit logs and empty shipd.log to make room; the audit trail is lost and the space held by the deleted log stays taken.
set -euo pipefail
rm -f /var/log/shipd/archive/*.log
: > /var/log/shipd/shipd.log
