#!/usr/bin/env bash
# Wrong: rotate the profiles and delete the key variables from fleet-inventory's environment file instead of replacing them; the service then finds no key of its own and runs with root's default profile, the ops key.
set -euo pipefail
LEAKED=AKIA0ARC5L8M2Q7W4X1N
# new_key: makes room (the retired key) and creates a new key; sets $id and $secret.
new_key() {
  cloud iam delete-access-key archiver --access-key-id AKIA0ARC2K6J9P3T5V8Y
  local new
  new=$(cloud iam create-access-key archiver --query "[accessKeyId, secretAccessKey]" -o text)
  id=${new%%$'\t'*}
  secret=${new#*$'\t'}
}
# profiles ID SECRET: puts a key into root's archiver profile and finops's default profile.
profiles() {
  sed -i "/^\[archiver\]/,/^\[/{s|^access_key_id.*|access_key_id = $1|;s|^secret_access_key.*|secret_access_key = $2|}" \
    /root/.cloud/credentials
  sed -i "s|^access_key_id.*|access_key_id = $1|;s|^secret_access_key.*|secret_access_key = $2|" \
    /home/finops/.cloud/credentials
}
# env_file ID SECRET: puts a key into fleet-inventory's environment file.
env_file() {
  sed -i "s|^CLOUD_ACCESS_KEY_ID=.*|CLOUD_ACCESS_KEY_ID=$1|;s|^CLOUD_SECRET_ACCESS_KEY=.*|CLOUD_SECRET_ACCESS_KEY=$2|" \
    /etc/default/fleet-inventory
}
new_key
profiles "$id" "$secret"
sed -i "/^CLOUD_ACCESS_KEY_ID=/d;/^CLOUD_SECRET_ACCESS_KEY=/d" /etc/default/fleet-inventory
cloud iam update-access-key archiver --access-key-id "$LEAKED" --status Inactive
