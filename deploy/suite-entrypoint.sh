#!/usr/bin/env bash
# The suite container's entrypoint: maps the environment to `npm run suite` flags and runs one shard.
# Needs: the repo with node_modules and the VM snapshot (.cache/vm-state), as the Dockerfile builds it.
#
#   SUITE_TASKS       --tasks (required): all, a domain, task ids or globs, comma-separated
#   SUITE_AGENT       --agent: oracle (default) or model
#   SUITE_PROVIDER    --provider: a provider id (openai, anthropic, openrouter, ...)
#   SUITE_MODEL       --model: one or more model names, comma-separated
#   SUITE_BASE_URL    --base-url        SUITE_TOOL_MODE  --tool-mode
#   SUITE_TRIALS      --trials          SUITE_JOBS       --jobs (VMs at once; about 1 per core)
#   SUITE_MAX_STEPS   --max-steps       SUITE_MAX_COST   --max-cost
#   SUITE_NAME        --name            SUITE_ISOLATION  --isolation
#   SUITE_SHARD       --shard i/n, given whole; or else
#   JOB_COMPLETION_INDEX (0-based, set by a Kubernetes Indexed Job) with SUITE_SHARDS (the Job's
#                     completions): --shard (index+1)/SUITE_SHARDS; neither: the whole suite (1/1)
#   SUITE_OUT         --out; default $SUITE_RESULTS_DIR/results-<i>-of-<n>.json (SUITE_RESULTS_DIR: .)
#   OPSLAB_API_KEY    the provider's key: read by the runner from the environment, never made a flag
#   SUITE_DRY_RUN=1   print the command instead of running it (tests)
set -euo pipefail

cd "$(dirname "$0")/.."

die() {
  echo "suite-entrypoint: $*" >&2
  exit 2
}

[[ -n "${SUITE_TASKS:-}" ]] || die "set SUITE_TASKS (all, a domain, task ids or globs)"

if [[ -n "${SUITE_SHARD:-}" ]]; then
  shard="$SUITE_SHARD"
elif [[ -n "${JOB_COMPLETION_INDEX:-}" ]]; then
  [[ "$JOB_COMPLETION_INDEX" =~ ^[0-9]+$ ]] || die "JOB_COMPLETION_INDEX is not a number: '$JOB_COMPLETION_INDEX'"
  [[ "${SUITE_SHARDS:-}" =~ ^[1-9][0-9]*$ ]] ||
    die "set SUITE_SHARDS to the Job's completions (JOB_COMPLETION_INDEX is set, so this is shard index+1 of SUITE_SHARDS)"
  # NOTE: completion indexes run 0..completions-1; shards are 1-based.
  index=$((10#$JOB_COMPLETION_INDEX + 1))
  ((index <= SUITE_SHARDS)) ||
    die "JOB_COMPLETION_INDEX $JOB_COMPLETION_INDEX is out of range for SUITE_SHARDS=$SUITE_SHARDS: make SUITE_SHARDS equal the Job's completions"
  shard="$index/$SUITE_SHARDS"
else
  shard="1/1"
fi

out="${SUITE_OUT:-${SUITE_RESULTS_DIR:-.}/results-${shard%/*}-of-${shard#*/}.json}"
args=(--tasks "$SUITE_TASKS" --shard "$shard" --out "$out")

# Each optional variable, when set and not empty, becomes its flag.
add() {
  local variable="$1" flag="$2"
  if [[ -n "${!variable:-}" ]]; then args+=("$flag" "${!variable}"); fi
}
add SUITE_AGENT --agent
add SUITE_PROVIDER --provider
add SUITE_MODEL --model
add SUITE_BASE_URL --base-url
add SUITE_TOOL_MODE --tool-mode
add SUITE_TRIALS --trials
add SUITE_JOBS --jobs
add SUITE_MAX_STEPS --max-steps
add SUITE_MAX_COST --max-cost
add SUITE_NAME --name
add SUITE_ISOLATION --isolation

if [[ "${SUITE_DRY_RUN:-}" == 1 ]]; then
  printf '%s\n' "${args[@]}"
  exit 0
fi
if [[ "$out" == */* ]]; then mkdir -p "${out%/*}"; fi
exec npm run --silent suite -- "${args[@]}"
