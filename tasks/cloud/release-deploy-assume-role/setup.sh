#!/usr/bin/env bash
# The runner's profiles (release: the deployer role; staging: the staging role), and its first failed deploy.
set -euo pipefail
chmod 755 /usr/local/bin/ci-deploy
chmod 644 /etc/systemd/system/ci-deploy.service /etc/ci-runner/release.env
cat >>/root/.cloud/credentials <<'CREDS'

[release]
access_key_id = AKIA0CIR4N7E2R9K5Q1W
secret_access_key = Ci4Rn7Er2Kq9Wx5Zt1Yb8Hs3Lm6Pd0Gf4Va7Nc2J

[staging]
access_key_id = AKIA0CIR4N7E2R9K5Q1W
secret_access_key = Ci4Rn7Er2Kq9Wx5Zt1Yb8Hs3Lm6Pd0Gf4Va7Nc2J
CREDS
printf '\n[profile release]\nregion = eu-west-1\nrole = deployer\n\n[profile staging]\nregion = eu-west-1\nrole = deployer-staging\n' >>/root/.cloud/config
systemctl daemon-reload
systemctl start ci-deploy.service 2>/dev/null || true
