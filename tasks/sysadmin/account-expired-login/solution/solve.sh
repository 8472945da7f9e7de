#!/usr/bin/env bash
# alice was expired and her password locked as if she had left: undo both, for her alone.
set -euo pipefail
chage -l alice
chage --expiredate -1 alice
usermod --unlock alice
