#!/usr/bin/env bash
# Which themes cover the lines changed since INPUT_BASE: `covthemes diff`'s
# markdown and JSON into OUTPUT/diff.md and OUTPUT/diff.json, the markdown
# appended to the step summary, and its path as the `markdown` output.
#
#   INPUT_BASE=origin/main INPUT_BASE_REPORT=base/themes.json diff.sh OUTPUT
#
# Without INPUT_BASE, covthemes compares with the merge base with
# origin/HEAD; without INPUT_BASE_REPORT, the summary says there is no
# comparison with the base branch's report. Run after `covthemes publish`.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: diff.sh OUTPUT" >&2
    exit 2
fi
output="$1"
args=()
# `--name=value`: a value that starts with a dash stays a value.
if [ -n "${INPUT_BASE:-}" ]; then
    args+=("--base=$INPUT_BASE")
fi
if [ -n "${INPUT_BASE_REPORT:-}" ]; then
    args+=("--base-report=$INPUT_BASE_REPORT")
else
    echo "_No report of the base branch was found, so there is no comparison with it._" >> "$GITHUB_STEP_SUMMARY"
fi
covthemes diff "${args[@]}" -o "$output/diff.md"
covthemes diff "${args[@]}" --format json -o "$output/diff.json"
cat "$output/diff.md" >> "$GITHUB_STEP_SUMMARY"
echo "markdown=$output/diff.md" >> "$GITHUB_OUTPUT"
