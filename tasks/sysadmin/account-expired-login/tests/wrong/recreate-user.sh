#!/usr/bin/env bash
# Wrong: delete alice and create her again; she gets a new UID (her files are no longer hers) and a password she never chose.
set -euo pipefail
userdel alice
useradd --create-home --shell /bin/bash alice
echo 'alice:Welcome-back-2024' | chpasswd
