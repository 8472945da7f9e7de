#!/usr/bin/env bash
# Wrong: make logrotate read shipd's configuration again and restart shipd; the next rotation still sends SIGHUP, so shipd keeps writing into the renamed file, which compress then deletes while shipd holds it: the same full volume tomorrow.
set -euo pipefail
chmod 644 /etc/logrotate.d/shipd
systemctl restart shipd.service
