#!/usr/bin/env bash
# The pipeline's deploy stage runs on this box as the CI user acting as the deployer role; its first billing-api deploy failed.
set -euo pipefail
chmod 755 /usr/local/bin/ci-deploy
cat >>/root/.cloud/credentials <<'CREDS'

[ci]
access_key_id = AKIA0CIR7N3B5V9C2X4Z
secret_access_key = Ci5Rn8Er1Tk4Ey7Qw0Ui3Op6As9Df2Gh5Jk8Lz1X
CREDS
printf '\n[profile ci]\nregion = eu-west-1\nrole = deployer\n' >>/root/.cloud/config
/usr/local/bin/ci-deploy billing-api 1.4.0 >>/var/log/ci-deploy.log 2>&1 || true
