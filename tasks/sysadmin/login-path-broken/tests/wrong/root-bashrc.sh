#!/usr/bin/env bash
# Wrong: a full PATH in root's ~/.bashrc; root's shells work, every other user's login still finds nothing.
set -euo pipefail
echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/acme/bin' >> /root/.bashrc
