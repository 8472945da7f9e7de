#!/usr/bin/env bash
# Wrong: chmod -R 777 carol's home so that sshd can read her keys; every user can now rewrite her files and her authorized_keys.
set -euo pipefail
chmod -R 777 /home/carol
