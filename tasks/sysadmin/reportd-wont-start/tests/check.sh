#!/usr/bin/env bash
# Grader: reportd answers, runs unprivileged as its own account, keeps its state folder to itself, and
# comes back after a reboot of its unit (its runtime configuration forgotten).
source /run/opslab-grader/lib.sh
STATE_DIR=/var/lib/reportd
# NOTE: curl only once the port listens (listening): a curl every try of a wait slows reportd's start.
answers() { listening 9090 && [ "$(curl -s -m 3 http://127.0.0.1:9090/)" = "reportd ok" ]; }
pid() { systemctl show -p MainPID --value reportd.service; }
# runs_as FORMAT: reportd's main process's owner as stat prints it (%u the UID, %U the name).
runs_as() { [ "$(pid)" != 0 ] && stat -c "$1" "/proc/$(pid)"; }
# can_write USER: USER may create files in reportd's state folder (modes and ACLs both count).
can_write() { as_user "$1" test -w "$STATE_DIR" 2>/dev/null; }
# NOTE: no waiting for a reportd that has failed, stopped or crash-loops (its account missing).
check "reportd answers on 127.0.0.1:9090" 'eventually_up reportd.service 15 answers'
check "reportd does not run as root" 'uid=$(runs_as %u) && [ "$uid" != 0 ]'
check "reportd runs as the reportd account" '[ "$(runs_as %U)" = reportd ]'
check "the reportd account cannot log in" 'case "$(getent passwd reportd | cut -d: -f7)" in */nologin|*/false) true;; *) false;; esac'
check "reportd can write its state folder" 'can_write reportd'
check "no other account can write reportd's state folder" '! can_write nobody && ! can_write www-data'
check "reportd is enabled at boot" 'enabled_at_boot reportd.service'
reboot_unit reportd.service
check "after a reboot reportd answers again" 'eventually_up reportd.service 15 answers'
finish
