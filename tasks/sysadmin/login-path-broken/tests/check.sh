#!/usr/bin/env bash
# Grader: fresh login shells (bash and sh, a user and root) find the system commands and acmectl.
source /run/opslab-grader/lib.sh
login() {
  local user=$1 shell=$2
  shift 2
  su - "$user" -s "$shell" -c "$*" </dev/null 2>/dev/null
}
no_cwd() { case ":$1:" in *::* | *:.:*) return 1 ;; *) return 0 ;; esac; }
check "alice's login shell runs ls and sudo" 'login alice /bin/bash "ls / >/dev/null && command -v sudo >/dev/null"'
check "alice's login shell runs acmectl" 'login alice /bin/bash acmectl | grep -q "^acmectl 2.4.1 (home /opt/acme)$"'
check "bob's sh login shell runs ls and acmectl" 'login bob /bin/sh "ls / >/dev/null && acmectl" | grep -q "^acmectl 2.4.1"'
check "root's login shell runs useradd from /usr/sbin" '[ "$(login root /bin/bash "command -v useradd")" = /usr/sbin/useradd ]'
check "root's login shell runs acmectl" 'login root /bin/bash acmectl | grep -q "^acmectl 2.4.1"'
check "no login PATH searches the current directory" 'no_cwd "$(login alice /bin/bash "echo \$PATH")" && no_cwd "$(login root /bin/bash "echo \$PATH")"'
check "alice and bob keep their accounts" '[ "$(id -u alice)" -ge 1000 ] && [ "$(id -u bob)" -ge 1000 ] && [ -d /home/alice ] && [ -d /home/bob ]'
finish
