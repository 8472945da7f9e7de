#!/usr/bin/env bash
# Wrong: delete `Defaults requiretty` from the baseline and put the NOPASSWD rule last; the backup runs, but the security team's file is changed and no account needs a terminal for sudo any more.
set -euo pipefail
sed -i '/^Defaults requiretty$/d' /etc/sudoers.d/90-security-baseline
mv /etc/sudoers.d/50-dbbackup /etc/sudoers.d/95-dbbackup
