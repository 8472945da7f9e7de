# Shared helpers for every task's grader: tests/check.sh starts with `source /run/opslab-grader/lib.sh`.
# The runner copies this file in beside check.sh only after the agent has finished, and runs check.sh with
# /bin/bash --noprofile --norc in a clean environment (PATH=/usr/sbin:/usr/bin:/sbin:/bin, no LD_PRELOAD,
# nothing inherited), after everything the agent started has been stopped.
# NOTE: graders print one "PASS: what" or "FAIL: what" line per check and end with `finish`.

failed=0

# doing check|step WHAT: notes what the grader does now, for the person waiting (the page shows it), and
# when it began (for `npm run bench:tasks -- --profile`: where a grader's time goes).
# NOTE: display only: the runner reads the file while the grader runs; nothing decides on it.
# NOTE: a step changes the system (a restart, a reboot): the checks still running (check_later) are
# settled first, so none of them probes a system half-way through the step.
doing() {
  local kind=$1
  shift
  [ "$kind" != step ] || settle_checks
  note "$kind" "$*"
}
# note check|step WHAT: writes the note (doing, without settling first).
note() {
  printf '%s\t%s\t%s\n' "$1" "${2//$'\t'/ }" "$EPOCHREALTIME" >>"${BASH_SOURCE[0]%/*}/progress" 2>/dev/null || true
}

# Results not printed yet, in the order the grader asked for them: from the first check_later until
# settle_checks, every result waits its turn here ("PASS\tWHAT", "FAIL\tWHAT", or "PID\tWHAT" for a
# check still running), so the grade lists its checks in check.sh's order.
later=()

# pass WHAT / fail WHAT: report a check the grader decided itself.
# NOTE: verification (src/tasks/verify.ts) grades with GRADER_STOP_AT_FAILURE=1 where only a failure
# matters (right after setup, after a wrong fix): the grader then ends at its first failed check, once
# the checks before it are reported. A run's grade always runs every check.
# NOTE: a failure behind checks still running (check_later) settles them there and then (one of them
# may be the first failure, in check.sh's order) instead of going on to the next step: the checks
# after it would only wait out their own time-outs (an `eventually` that cannot come true).
pass() { report PASS "$*"; }
fail() {
  failed=1
  report FAIL "$*"
  if [ "${GRADER_STOP_AT_FAILURE-}" = 1 ]; then
    settle_checks
    exit 1
  fi
}
report() {
  if ((${#later[@]})); then later+=("$1"$'\t'"$2"); else echo "$1: $2"; fi
}

# check WHAT CODE: runs CODE (a shell snippet, eval'd) and reports WHAT as passed when it succeeds.
check() {
  doing check "$1"
  if eval "$2"; then pass "$1"; else fail "$1"; fi
}

# check_later WHAT CODE: as check, but CODE runs in the background while the grader goes on; its result
# takes its place in the grade at the next settle_checks (a step or `finish` settles them too).
# NOTE: for probes that pass by waiting out a time-out (what must stay dropped or unanswered): run
# together, and beside the checks that follow, they cost one time-out instead of one each. Only for
# CODE that changes nothing: the checks around it run at the same time.
check_later() {
  doing check "$1"
  (eval "$2") >/dev/null 2>&1 </dev/null &
  later+=("$!"$'\t'"$1")
}

# settle_checks: waits for the checks still running and prints every result held back, in order.
settle_checks() {
  local entry kind what
  ((${#later[@]})) || return 0
  [[ ${later[*]} != *[0-9]$'\t'* ]] || note step "waiting for the checks still running"
  local held=("${later[@]}")
  later=()
  for entry in "${held[@]}"; do
    kind=${entry%%$'\t'*} what=${entry#*$'\t'}
    # NOTE: `later` is empty again, so pass and fail print at once.
    case $kind in
    PASS) pass "$what" ;;
    FAIL) fail "$what" ;;
    *) if wait "$kind"; then pass "$what"; else fail "$what"; fi ;;
    esac
  done
}

# eventually [SECONDS] CODE [HOPELESS]: succeeds as soon as CODE does (tried every 0.2 s), fails after
# SECONDS (10), or as soon as HOPELESS (code that tells CODE cannot come true by waiting; asked after the
# first try, then 2 s after it last ended) succeeds.
# NOTE: wait on a condition, never on a fixed sleep: graders must be quick when things are ready.
# NOTE: HOPELESS is asked seldom: the VM has one CPU, and what the grader waits for needs it (a
# systemctl or a curl takes it for 0.2 to 0.5 s). So does each try: put a cheap test first (listening).
eventually() {
  local limit=10
  if [[ $1 =~ ^[0-9]+$ ]]; then
    limit=$1
    shift
  fi
  local now deadline hope=0
  now=${EPOCHREALTIME/./}
  deadline=$((now + limit * 1000000))
  while :; do
    eval "$1" && return 0
    now=${EPOCHREALTIME/./}
    if [ -n "${2-}" ] && ((now >= hope)); then
      ! eval "$2" || return 1
      now=${EPOCHREALTIME/./}
      hope=$((now + 2000000))
    fi
    ((now < deadline)) || return 1
    pause 0.2
  done
}

# pause SECONDS: waits SECONDS (a fraction too) without starting a process: `read` waits out its time-out
# on a pipe of the grader's own that nothing writes to (opened at the first pause).
# NOTE: a `sleep` start costs the VM 0.1 to 0.3 s of its one CPU: a wait that tries every 0.2 s would
# spend on sleeping a good part of what the service it waits for needs to start.
pause() {
  if [ -z "${PAUSE_FD-}" ]; then exec {PAUSE_FD}<> <(:) || PAUSE_FD=none; fi
  if [ "$PAUSE_FD" = none ]; then sleep "$1"; else read -r -t "$1" -u "$PAUSE_FD" _; fi
  return 0
}

# eventually_up UNITS [SECONDS] CODE [HOPELESS]: as eventually, for CODE that needs the units (one word,
# names separated by spaces) up: fails at once, saying why on stderr (the grade's notes), when one of them
# will not come up by waiting (units_given_up since reboot_unit last started it, or else since the wait
# began), or when HOPELESS succeeds.
# NOTE: a wrong fix that crashes its service would otherwise be rejected only when the wait runs out.
eventually_up() {
  local units=$1 limit=10 restarts unit hopeless
  local -a now
  shift
  if [[ $1 =~ ^[0-9]+$ ]]; then
    limit=$1
    shift
  fi
  # NOTE: CODE is tried first: the units are asked about only when the grader must wait.
  eval "$1" && return 0
  read -ra now <<<"$(unit_restarts $units)"
  restarts=
  for unit in $units; do
    restarts+="${RESTARTS_AT_START[$unit]-${now[0]-0}} "
    now=("${now[@]:1}")
  done
  hopeless="units_given_up '$restarts' $units"
  [ -z "${2-}" ] || hopeless+=" || { $2; }"
  GIVEN_UP=
  eventually "$limit" "$1" "$hopeless" && return 0
  [ -z "$GIVEN_UP" ] || echo "$GIVEN_UP: not waited for" >&2
  return 1
}

# unit_restarts UNIT...: how often systemd has restarted each unit after it ended (NRestarts), in order,
# separated by spaces.
unit_restarts() {
  systemctl show -p NRestarts --value "$@" 2>/dev/null | awk 'NF { printf "%s%s", sep, $1; sep = " " }'
}

# RESTARTS_AT_START[UNIT]: the unit's restarts (unit_restarts) when reboot_unit last started it: a later
# eventually_up gives up on the unit if they grew since.
declare -A RESTARTS_AT_START=()

# units_given_up RESTARTS UNIT...: one of the units will not come up by waiting: it has failed (systemd
# will not start it again: no restart asked for, or its start limit hit), it is stopped with nothing
# starting it (inactive, no job), or it crash-loops: it ended again after systemd restarted it (its
# restarts grew by two from those in RESTARTS, as unit_restarts printed them). Why: in GIVEN_UP; the
# units' states (as systemctl is-active prints them, one line a unit): in UNIT_STATES.
# NOTE: a unit that ends once and comes up at its restart is waited for: that is the grader's to judge.
# NOTE: systemd counts a restart when it queues it, before the process starts again: one restart more
# (and SubState still auto-restart) is also what the first crash alone shows for a moment.
# NOTE: one systemctl for all the units, as reboot_unit's: each start costs 0.1 to 0.2 s in the VM.
units_given_up() {
  local restarts=$1 out
  shift
  out=$(systemctl show -p Id -p ActiveState -p Result -p NRestarts -p Job "$@" 2>/dev/null | awk -v before="$restarts" '
    BEGIN { split(before, restarts, " "); RS = ""; FS = "\n" }
    {
      split("", p)
      for (i = 1; i <= NF; i++) { eq = index($i, "="); p[substr($i, 1, eq - 1)] = substr($i, eq + 1) }
      states = states "\n" p["ActiveState"]
      if (why != "") next
      grown = p["NRestarts"] - restarts[NR]
      if (p["ActiveState"] == "failed")
        why = sprintf("%s has failed (%s) and systemd will not start it again", p["Id"], p["Result"])
      else if (p["ActiveState"] == "inactive" && p["Job"] == "")
        why = sprintf("%s is stopped and nothing is starting it", p["Id"])
      else if (grown >= 2)
        why = sprintf("%s crash-loops: it ended again after systemd restarted it, %d restarts while the grader waited", p["Id"], grown)
    }
    END { printf "%s%s", why, states }')
  GIVEN_UP=${out%%$'\n'*}
  UNIT_STATES=${out#*$'\n'}
  [ -n "$GIVEN_UP" ]
}

# in_host HOST COMMAND...: runs COMMAND on a host of the task's network (never through `on`, which the
# agent could have changed).
in_host() {
  local host=$1
  shift
  ip netns exec "$host" "$@"
}

# http_status URL [CURL ARGS...]: the HTTP status code of a GET ("000" when nothing answered in 5 s).
http_status() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url"
}

# listening PORT: something here listens on TCP PORT (any address, IPv4 or IPv6), as the kernel's socket
# tables tell.
# NOTE: bash builtins only, no process start: for the front of a probe an `eventually` repeats while a
# service starts (`listening 8080 && curl ...`): a curl every try (0.1 to 0.5 s of the VM's one CPU)
# slows the very start it waits for.
listening() {
  local hex table address state
  printf -v hex '%04X' "$1"
  for table in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$table" ] || continue
    # "sl local_address rem_address st ...": a listening socket's state is 0A.
    while read -r _ address _ state _; do
      [[ $state != 0A || $address != *":$hex" ]] || return 0
    done <"$table"
  done
  return 1
}

# restart_unit UNIT: restarts a systemd unit and waits (up to 20 s) until it is active again.
restart_unit() {
  doing step "restarting $1"
  systemctl restart "$1" 2>/dev/null || return 1
  eventually 20 "systemctl is-active --quiet '$1'"
}

# finish: ends the grader; exit 0 only when every check passed.
finish() {
  settle_checks
  exit "$failed"
}

# --- certificates ---
# NOTE: `openssl x509` costs about a second of the emulated CPU a start, `openssl verify` a tenth of that:
# graders read certificates with these and ask `openssl verify` (-verify_hostname, -attime) the rest.

# first_pem [FILE]: the first certificate in FILE (or stdin), as PEM: a leaf from a chain or from what
# `openssl s_client` printed.
first_pem() {
  sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/p;/-END CERTIFICATE-/q' "$@"
}

# cert_der [FILE]: the first certificate in FILE (or stdin) as its DER in hex: the same for the same
# certificate however its PEM is wrapped, what `openssl x509 -fingerprint` would tell apart.
cert_der() {
  sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/{/-----/!p;/-END CERTIFICATE-/q;}' "$@" |
    base64 -d 2>/dev/null | od -An -v -tx1 | tr -d ' \n'
}

# --- sysadmin: what a reboot does to a unit ---

# runtime_config_of UNIT...: prints what configures the units from /run only (gone after a reboot): a
# runtime copy or mask of a unit, its runtime drop-ins (its own, and its type's or prefix's: a reboot
# drops those too), runtime properties, a transient unit, runtime enablement links.
# NOTE: only what configures the units: networking tasks keep their hosts' units in /run/systemd/system.
runtime_config_of() {
  runtime_config_in "$(systemctl show -p FragmentPath -p DropInPaths --value "$@" 2>/dev/null)" "$@"
}

# runtime_config_in SHOWN UNIT...: runtime_config_of, from SHOWN: what `systemctl show -p FragmentPath
# -p DropInPaths --value UNIT...` printed (other values among it are not paths under /run: ignored).
runtime_config_in() {
  local shown=$1 unit path
  shift
  {
    tr ' ' '\n' <<<"$shown"
    for unit in "$@"; do
      for path in "/run/systemd/system/$unit" "/run/systemd/system/$unit.d" \
        "/run/systemd/system.control/$unit.d" "/run/systemd/transient/$unit" \
        /run/systemd/system/*.wants/"$unit" /run/systemd/system/*.requires/"$unit"; do
        if [ -e "$path" ] || [ -L "$path" ]; then echo "$path"; fi
      done
    done
  } | grep '^/run/' | grep -v '^/run/systemd/generator' | sort -u
}

# forget_runtime_config UNIT...: what a reboot does to the units' configuration: removes what configures
# them from /run only (runtime_config_of), and reloads systemd once if that changed their configuration
# or it had changed on disk since the last reload (NeedDaemonReload). Leaves the units running.
# NOTE: one systemctl asks for both (each start costs 0.1 to 0.2 s in the VM; a reload 1.7 s).
forget_runtime_config() {
  local shown runtime
  shown=$(systemctl show -p FragmentPath -p DropInPaths -p NeedDaemonReload --value "$@" 2>/dev/null)
  runtime=$(runtime_config_in "$shown" "$@")
  if [ -n "$runtime" ]; then
    xargs -d '\n' rm -rf -- <<<"$runtime"
    systemctl daemon-reload
  elif grep -qx yes <<<"$shown"; then
    systemctl daemon-reload
  fi
}

# reboot_unit UNIT...: does to the units what a reboot would: forgets their runtime configuration
# (forget_runtime_config), stops them, then starts them in the order given.
# Fails unless every unit is enabled at boot and settles (up to 20 s) as active; at once, saying why on
# stderr, when one of them fails, stops or crash-loops (units_given_up).
# NOTE: one systemctl for all the units where the order does not matter (reading their configuration
# and enablement, stopping, settling): each start of systemctl costs 0.1 to 0.2 s in the VM.
reboot_unit() {
  local i
  local -a states
  doing step "rebooting $*"
  forget_runtime_config "$@"
  systemctl stop "$@" 2>/dev/null
  # One line a unit, in order (it stops at a unit it cannot find: the lines after it are missing).
  mapfile -t states < <(systemctl is-enabled "$@" 2>/dev/null)
  for ((i = 1; i <= $#; i++)); do
    case ${states[i - 1]-} in
      enabled | enabled-runtime | static | alias | indirect | generated) systemctl start "${!i}" 2>/dev/null ;;
      *) return 1 ;;
    esac
  done
  # NOTE: no need to ask: systemd counts a unit's restarts from 0 again when it is started after a stop.
  for ((i = 1; i <= $#; i++)); do RESTARTS_AT_START[${!i}]=0; done
  # NOTE: one systemctl a try tells both whether the units settled and whether one was given up.
  GIVEN_UP=
  eventually 20 "units_given_up '' $* || units_settled"
  if [ -n "$GIVEN_UP" ]; then
    echo "$GIVEN_UP" >&2
    return 1
  fi
  ! grep -qvx active <<<"$UNIT_STATES"
}

# units_settled: none of the units whose states units_given_up left in UNIT_STATES is starting, stopping
# or reloading.
units_settled() {
  ! grep -qx -e activating -e deactivating -e reloading <<<"$UNIT_STATES"
}

# enabled_at_boot UNIT: the unit is enabled from /etc (not only for this boot, not masked).
enabled_at_boot() {
  [ "$(systemctl is-enabled "$1" 2>/dev/null)" = enabled ]
}

# --- sysadmin: what an account may do ---

# as_user USER COMMAND...: runs COMMAND as a process of USER's would run: its uid, its primary group
# and its groups, a clean environment (HOME, SHELL, USER, LOGNAME and PATH its own). Whether it can
# read, write, connect or sudo is decided by those alone.
# NOTE: not runuser: its PAM session (limits, keyring) decides nothing about access, and costs it about
# 0.4 s a start in the VM where this takes 0.1 s.
as_user() {
  local user=$1 gid
  shift
  gid=$(id -g "$user" 2>/dev/null) || return 1
  setpriv --reuid="$user" --regid="$gid" --init-groups --reset-env -- "$@"
}

# --- sysadmin: what cron runs, and running it as cron would ---

# cron_accepts CRONTAB [OWNER]: Debian's cron reads CRONTAB: a non-empty file of OWNER (root for system
# crontabs) that no one else can write ("INSECURE MODE", "WRONG FILE OWNER") and whose last line ends
# with a newline ("Missing newline before EOF, this crontab file will be ignored").
cron_accepts() {
  local file=$1 owner=${2-root}
  [ -f "$file" ] && [ -s "$file" ] && [ "$(stat -L -c %U "$file")" = "$owner" ] &&
    (((8#$(stat -L -c %a "$file") & 8#022) == 0)) && [ -z "$(tail -c 1 "$file")" ]
}

# crontabs: "FILE<TAB>OWNER<TAB>system|user" for every crontab cron reads: /etc/crontab, the files of
# /etc/cron.d whose names cron takes (letters, digits, _ and -), each account's crontab.
crontabs() {
  local file name
  for file in /etc/crontab /etc/cron.d/*; do
    name=${file##*/}
    [[ $name =~ ^[A-Za-z0-9_-]+$ ]] && cron_accepts "$file" && printf '%s\troot\tsystem\n' "$file"
  done
  for file in /var/spool/cron/crontabs/*; do
    name=${file##*/}
    getent passwd "$name" >/dev/null && cron_accepts "$file" "$name" && printf '%s\t%s\tuser\n' "$file" "$name"
  done
}

# cron_jobs REGEX: "USER<TAB>VARIABLES (separated by \x1f)<TAB>COMMAND" for each scheduled line (not
# @reboot) of the crontabs cron reads whose command matches the awk REGEX; VARIABLES are the crontab's
# assignments above the line.
cron_jobs() {
  local file owner kind
  while IFS=$'\t' read -r file owner kind; do
    awk -v owner="$owner" -v kind="$kind" -v pattern="$1" '
      /^[ \t]*(#|$)/ { next }
      /^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=/ {
        line = $0; sub(/^[ \t]*/, "", line); eq = index(line, "=")
        name = substr(line, 1, eq - 1); value = substr(line, eq + 1)
        sub(/[ \t]+$/, "", name); sub(/^[ \t]+/, "", value); sub(/[ \t]+$/, "", value)
        if (value ~ /^".*"$/ || value ~ /^\047.*\047$/) value = substr(value, 2, length(value) - 2)
        vars = vars (vars == "" ? "" : "\037") name "=" value
        next
      }
      {
        if ($1 == "@reboot") next
        skip = ($1 ~ /^@/) ? 1 : 5
        user = owner
        if (kind == "system") { user = $(skip + 1); skip++ }
        command = $0
        for (i = 0; i < skip; i++) sub(/^[ \t]*[^ \t]+/, "", command)
        sub(/^[ \t]+/, "", command)
        if (command ~ pattern) printf "%s\t%s\t%s\n", user, vars, command
      }' "$file"
  done < <(crontabs)
}

# run_cron_job USER VARIABLES COMMAND: runs a job of cron_jobs as cron would: COMMAND up to its first
# unescaped % goes to the shell (\% is a %), the rest is its input (each % a newline); as USER, from its
# home, with cron's environment (SHELL=/bin/sh, PATH=/usr/bin:/bin, HOME, LOGNAME) and the crontab's
# variables on top (SHELL among them chooses the shell). Its output is dropped.
run_cron_job() {
  local user=$1 raw=$3 home shell=/bin/sh variable command="" input="" part=command char i escaped=no
  local -a vars extra
  for ((i = 0; i < ${#raw}; i++)); do
    char=${raw:i:1}
    if [ "$escaped" = yes ]; then
      escaped=no
      if [ "$char" = % ]; then char=%; else char="\\$char"; fi
    elif [ "$char" = "\\" ]; then
      escaped=yes
      continue
    elif [ "$char" = % ]; then
      if [ "$part" = command ]; then
        part=input
        continue
      fi
      char=$'\n'
    fi
    if [ "$part" = command ]; then command+=$char; else input+=$char; fi
  done
  if [ "$escaped" = yes ]; then
    if [ "$part" = command ]; then command+="\\"; else input+="\\"; fi
  fi
  home=$(getent passwd "$user" | cut -d: -f6)
  vars=(SHELL=/bin/sh PATH=/usr/bin:/bin "HOME=$home" "LOGNAME=$user")
  IFS=$'\037' read -ra extra <<<"$2"
  for variable in "${extra[@]}"; do
    [ -n "$variable" ] || continue
    vars+=("$variable")
    [[ $variable != SHELL=* ]] || shell=${variable#SHELL=}
  done
  (
    cd "$home" 2>/dev/null || cd /
    printf '%s' "$input" | as_user "$user" env -i "${vars[@]}" "$shell" -c "$command"
  ) >/dev/null 2>&1
}

# --- sysadmin: logins as a person makes them, and what PAM decides ---
# NOTE: python3 -I -S: isolated from the environment and user site, no `site` import: these need the
# standard library only, and importing site is a good share of python's start-up in the VM.

# logs_in USER PASSWORD: USER logs in with PASSWORD as a person would: `su - USER` typed on a terminal
# by an unprivileged account (nobody), through PAM's auth and account checks and a login shell.
logs_in() {
  [ "$(logins "$1:$2")" = "$1 in" ]
}

# logins USER:PASSWORD...: each pair's login as logs_in makes it, all at once in one python3 start (each
# costs 0.4 to 1.5 s in the VM): a line "USER in" (or "USER refused") per pair, in the order given.
# NOTE: at once: a refused password waits out PAM's failure delay (2 s or more), and the logins that
# pass use the CPU meanwhile. Each has its own terminal, su and deadline (20 s).
logins() {
  python3 -I -S - "$@" 2>/dev/null <<'PY'
import os, pty, select, sys, time
todo = {}
for pair in sys.argv[1:]:
    user, _, password = pair.partition(":")
    pid, fd = pty.fork()
    if pid == 0:
        os.setgroups([]); os.setgid(65534); os.setuid(65534)
        os.execv("/bin/su", ["su", "-", user, "-c", "echo LOGIN-OK $(id -un)"])
    todo[fd] = {"user": user, "password": password, "pid": pid, "out": b"", "sent": False}
logins, deadline = list(todo.values()), time.time() + 20
while todo and time.time() < deadline:
    for fd in select.select(list(todo), [], [], 0.5)[0]:
        login = todo[fd]
        try:
            data = os.read(fd, 1024)
        except OSError:
            data = b""
        if not data:
            del todo[fd]
            continue
        login["out"] += data
        if not login["sent"] and b"assword" in login["out"]:
            os.write(fd, login["password"].encode() + b"\n")
            login["sent"] = True
for login in logins:
    if login in todo.values():
        os.kill(login["pid"], 9)
    os.waitpid(login["pid"], 0)
    ok = b"LOGIN-OK " + login["user"].encode() in login["out"]
    print(login["user"], "in" if ok else "refused")
PY
}

# SSH_CLIENT: the ssh command of a client logging in to this server (127.0.0.1) from elsewhere: the
# grader's own client configuration and known hosts play no part; ssh's options and destination follow
# ("${SSH_CLIENT[@]}" -i KEY -o BatchMode=yes USER@127.0.0.1 COMMAND).
# NOTE: the cheapest key exchange and host key first, then ssh's defaults: ecdh-sha2-nistp256 and an ECDSA
# host key (OpenSSL's) take about a quarter less of the VM's CPU a login than curve25519 and Ed25519
# (OpenSSH's reference code), and the default post-quantum exchange (sntrup761) seconds more; a server
# that offers neither still serves the login, as it would any client's.
# NOTE: an array, not a function: setsid and the like run it.
SSH_CLIENT=(ssh -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=60
  -o KexAlgorithms=^ecdh-sha2-nistp256,curve25519-sha256 -o HostKeyAlgorithms=^ecdsa-sha2-nistp256)

# pam_account_ok SERVICE USER: PAM's account checks (expiry, access rules) of SERVICE (login, sshd,
# su...) admit USER: the step a login takes after the password, asked of libpam directly.
pam_account_ok() {
  [ "$(pam_accounts "$1:$2")" = "$1:$2 admitted" ]
}

# pam_accounts SERVICE:USER...: PAM's account checks of each pair, in one python3 start (each costs
# about a second in the VM): a line "SERVICE:USER admitted" (or refused, or error when PAM could not
# even start) per pair, in the order given.
pam_accounts() {
  python3 -I -S - "$@" 2>/dev/null <<'PY'
import ctypes, sys
pam = ctypes.CDLL("libpam.so.0")
CONV = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
class Conv(ctypes.Structure):
    _fields_ = [("conv", CONV), ("appdata", ctypes.c_void_p)]
conv = Conv(CONV(lambda n, msg, resp, data: 19), None)  # PAM_CONV_ERR: no questions answered
for pair in sys.argv[1:]:
    service, _, user = pair.partition(":")
    handle = ctypes.c_void_p()
    if pam.pam_start(service.encode(), user.encode(), ctypes.byref(conv), ctypes.byref(handle)) != 0:
        print(pair, "error")
        continue
    result = pam.pam_acct_mgmt(handle, 0)
    pam.pam_end(handle, result)
    print(pair, "admitted" if result == 0 else "refused")
PY
}

# --- networking: the hosts of a task network (network namespaces, see README "Networking tasks") ---

# reboot_host HOST...: reboots hosts as a real reboot would: their daemons stop, whatever was set only
# live (addresses, routes, sysctls, firewall rules, processes) is gone, and they boot again from their
# own files, daemons started. Runs the runner's copy of the boot code beside this file (network.sh),
# never the agent's reboot-host; its messages go to stderr (the grade's notes).
reboot_host() {
  doing step "rebooting $*"
  /bin/bash --noprofile --norc "${BASH_SOURCE[0]%/*}/network.sh" "$@" >&2
}

# host_get HOST URL [CURL ARGS...]: the body HOST gets for URL (nothing when no answer came in 5 s).
host_get() {
  local host=$1 url=$2
  shift 2
  ip netns exec "$host" curl -s --max-time 5 "$@" "$url"
}

# host_pings HOST ADDRESS: HOST gets an answer to a ping of ADDRESS within 3 s.
host_pings() {
  ip netns exec "$1" ping -c 1 -W 3 "$2" >/dev/null 2>&1
}

# host_connects HOST ADDRESS PORT [NC ARGS...]: HOST opens a TCP connection to ADDRESS:PORT within 3 s.
host_connects() {
  local host=$1 address=$2 port=$3
  shift 3
  ip netns exec "$host" nc -z -w 3 "$@" "$address" "$port" >/dev/null 2>&1
}

# NOTE: what must stay closed is probed for 1 s: over the task network's virtual cables an answer (a
# connection, a refusal, a pong) comes in milliseconds, and each probe that passes waits its time-out out.

# host_cannot_connect HOST ADDRESS PORT: HOST opens no TCP connection to ADDRESS:PORT (refused, or no
# answer within 1 s).
host_cannot_connect() {
  ! ip netns exec "$1" nc -z -w 1 "$2" "$3" >/dev/null 2>&1
}

# host_cannot_ping HOST ADDRESS: HOST gets no answer to a ping of ADDRESS within 1 s.
host_cannot_ping() {
  ! ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1
}

# host_unanswered HOST URL [CURL ARGS...]: a request from HOST to URL gets no answer at all: its TCP
# connection is neither accepted nor refused within 1 s (dropped on the way): what a firewall that drops
# does. A server slow to answer once connected has answered.
host_unanswered() {
  local host=$1 url=$2 connected
  shift 2
  connected=$(ip netns exec "$host" curl -s -o /dev/null --connect-timeout 1 --max-time 2 -w '%{time_connect}' "$@" "$url")
  [ $? = 28 ] && [[ $connected =~ ^0(\.0*)?$ ]]
}

# all_succeed CODE...: runs the CODE snippets at once and succeeds when every one did: probes that wait
# for a time-out (what must stay dropped) then cost one time-out together, not one each.
all_succeed() {
  local code pid pids=() ok=0
  for code; do
    (eval "$code") &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || ok=1; done
  return "$ok"
}

# logged_from LOG MARK ADDRESS: the access log LOG has a request carrying MARK (a string the grader
# put in the URL) from the client ADDRESS: who the server saw, after any NAT on the way.
logged_from() {
  grep -F -- "$2" "$1" 2>/dev/null | grep -q "^${3//./\\.} "
}

# seen_from HOST URL LOG ADDRESS: HOST requests URL, marked with a fresh string, and the web server's
# access LOG has that request from ADDRESS: who the server saw, after any NAT on the way.
seen_from() {
  local host=$1 url=$2 log=$3 address=$4 mark="probe-$RANDOM$RANDOM"
  case $url in
  *\?*) url="$url&$mark" ;;
  *) url="$url?$mark" ;;
  esac
  host_get "$host" "$url" >/dev/null
  logged_from "$log" "$mark" "$address"
}

# checks_across_reboot READY HOST...: the grader's own checks() "now"; then HOSTs reboot (reboot_host),
# READY (code that succeeds once they serve again) is awaited for up to 30 s, and checks() runs again,
# "after HOST, HOST and HOST reboot": a fix made only live does not survive that.
checks_across_reboot() {
  local ready=$1
  shift
  checks "now"
  reboot_host "$@"
  note step "waiting for $* to serve again"
  eventually 30 "$ready"
  local hosts=$1
  if [ $# -gt 1 ]; then
    hosts=$(printf '%s, ' "${@:1:$#-1}")
    hosts="${hosts%, } and ${!#}"
  fi
  checks "after $hosts reboot"
}

# plug_in HOST SEGMENT ADDRESS/N [GATEWAY]: plugs a new machine into SEGMENT to probe from, as it comes
# out of the box (kernel defaults, no firewall, MTU 1500): a PC the agent never saw, so a fix made for
# the PCs it tested from does not pass for it. It has no files and no reboot.
plug_in() {
  local host=$1 segment=$2 address=$3 gateway=${4-}
  ip netns add "$host" &&
    ip link add "$host-eth0" type veth peer name eth0 netns "$host" &&
    ip link set "$host-eth0" master "br-$segment" up &&
    ip -n "$host" link set lo up &&
    ip -n "$host" address add "$address" dev eth0 &&
    ip -n "$host" link set eth0 up &&
    { [ -z "$gateway" ] || ip -n "$host" route add default via "$gateway"; }
}
