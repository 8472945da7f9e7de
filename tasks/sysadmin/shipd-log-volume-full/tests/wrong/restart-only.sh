#!/usr/bin/env bash
# Wrong: restart shipd; the deleted log's space comes back, but logrotate still ignores shipd's configuration, so shipd.log grows until the volume is full again.
set -euo pipefail
systemctl restart shipd.service
