# Shared helpers for every task's grader: tests/check.sh starts with `source /run/opslab-grader/lib.sh`.
# The runner copies this file in beside check.sh only after the agent has finished, and runs check.sh with
# /bin/bash --noprofile --norc in a clean environment (PATH=/usr/sbin:/usr/bin:/sbin:/bin, no LD_PRELOAD,
# nothing inherited), after everything the agent started has been stopped.
# NOTE: graders print one "PASS: what" or "FAIL: what" line per check and end with `finish`.

failed=0

# pass WHAT / fail WHAT: report a check the grader decided itself.
pass() { echo "PASS: $*"; }
fail() {
  echo "FAIL: $*"
  failed=1
}

# check WHAT CODE: runs CODE (a shell snippet, eval'd) and reports WHAT as passed when it succeeds.
check() {
  if eval "$2"; then pass "$1"; else fail "$1"; fi
}

# eventually [SECONDS] CODE: succeeds as soon as CODE does (tried every 0.2 s), fails after SECONDS (10).
# NOTE: wait on a condition, never on a fixed sleep: graders must be quick when things are ready.
eventually() {
  local limit=10
  if [[ $1 =~ ^[0-9]+$ ]]; then
    limit=$1
    shift
  fi
  local now deadline
  now=${EPOCHREALTIME/./}
  deadline=$((now + limit * 1000000))
  while :; do
    eval "$1" && return 0
    now=${EPOCHREALTIME/./}
    ((now < deadline)) || return 1
    sleep 0.2
  done
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

# restart_unit UNIT: restarts a systemd unit and waits (up to 20 s) until it is active again.
restart_unit() {
  systemctl restart "$1" 2>/dev/null || return 1
  eventually 20 "systemctl is-active --quiet '$1'"
}

# finish: ends the grader; exit 0 only when every check passed.
finish() {
  exit "$failed"
}
