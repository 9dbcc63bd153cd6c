#!/usr/bin/env bash
# The scan step of the GitHub Action (action.yml), in a file of its own so that it runs, and is
# tested, outside GitHub. Inputs arrive as INPUT_* variables; GitHub sets GITHUB_EVENT_NAME,
# GITHUB_EVENT_PATH and GITHUB_OUTPUT. Exit: 0 no leak, 2 error, else the CLI's findings code.
set -uo pipefail

action_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cli=${SECRETSCAN_CLI:-"$action_dir/bin/secretscan.js"}
repo=${INPUT_PATH:-.}
# Outside the checkout by default: a pull request could commit a symlink named like the report
# (the CLI refuses to write through one, and would then fail the job).
sarif=${INPUT_SARIF_FILE:-"${RUNNER_TEMP:-${TMPDIR:-/tmp}}/secretscan.sarif"}

# The range's base must be in the clone. A shallow checkout (actions/checkout's default depth 1)
# lacks it: fetch the rest of the history, unless the workflow opted out.
if [ "${INPUT_FETCH:-true}" = true ]; then
  if [ "$(git -C "$repo" rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
    echo "::notice title=secretscan::the checkout is shallow: fetching the whole history (set fetch-depth: 0 on actions/checkout to skip this)"
    git -C "$repo" fetch --quiet --unshallow --no-tags origin || echo "::warning title=secretscan::git fetch --unshallow failed; the scan may miss the range's base"
  fi
  # pull_request_target checks out the base branch: the pull request's own commits are not there.
  if [ "${GITHUB_EVENT_NAME:-}" = pull_request_target ] && [ -n "${GITHUB_EVENT_PATH:-}" ]; then
    read -r number head < <(node -e 'const e = require(process.argv[1]).pull_request ?? {}; console.log(e.number ?? "", e.head?.sha ?? "")' "$GITHUB_EVENT_PATH")
    if [ -n "$number" ] && [ -n "$head" ] && ! git -C "$repo" cat-file -e "$head^{commit}" 2>/dev/null; then
      git -C "$repo" fetch --quiet --no-tags origin "refs/pull/$number/head" || echo "::warning title=secretscan::could not fetch refs/pull/$number/head"
    fi
  fi
fi

args=(git "$repo" --ci)
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
# Extra arguments, split on whitespace and newlines (no shell quoting: nothing in them is evaluated).
read -r -d '' -a extra <<< "${INPUT_ARGS:-}" || true
args+=(${extra[@]+"${extra[@]}"})

node "$cli" "${args[@]}" --format sarif --output "$sarif"
code=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit-code=$code" >> "$GITHUB_OUTPUT"
  [ -f "$sarif" ] && echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
fi

case $code in
  0) exit 0 ;;
  2) echo "::error title=secretscan::the scan did not run to the end (see the error above)"; exit 2 ;;
esac
# New leaks: say where, as workflow annotations on the lines (the SARIF report was written above).
if [ "${INPUT_ANNOTATIONS:-true}" = true ]; then
  node "$cli" "${args[@]}" --format github --no-fail 2>/dev/null ||
    echo "::warning title=secretscan::could not print annotations (--format github)"
fi
echo "::error title=secretscan::new leaks in this range: revoke each key (see the report), then remove it; the SARIF report is $sarif"
exit "$code"
