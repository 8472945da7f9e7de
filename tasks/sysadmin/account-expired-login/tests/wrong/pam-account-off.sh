#!/usr/bin/env bash
# Wrong: unlock alice and turn PAM's account checks off; she logs in, but so would any expired account, and hers still reads as expired.
set -euo pipefail
usermod --unlock alice
sed -i 's/^\(account\s.*\)pam_unix\.so.*/\1pam_permit.so/' /etc/pam.d/common-account
