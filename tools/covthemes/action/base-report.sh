#!/usr/bin/env bash
# The base branch's latest themes.json, for `covthemes diff --base-report`:
# the data branch's when the pull request targets the default branch (the
# data branch follows it), else the `coverage-baseline` artifact of the
# latest successful push run of WORKFLOW on the base branch.
#
#   base-report.sh DIR
#
# Writes DIR/themes.json and prints `found=true`, or prints `found=false`:
# a line for $GITHUB_OUTPUT. Reads GITHUB_BASE_REF and GITHUB_REPOSITORY (set
# by the runner), DEFAULT_BRANCH, DATA_BRANCH_FOUND (`true` when
# checkout-data-branch.sh found the branch), WORKFLOW_REF (the runner's
# github.workflow_ref, `owner/repo/.github/workflows/coverage.yml@ref`: the
# workflow whose runs keep the artifact), GH_TOKEN for `gh`, and
# COVTHEMES_DATA_BRANCH (default: covthemes-data).
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: base-report.sh DIR" >&2
    exit 2
fi
dir="$1"
branch="${COVTHEMES_DATA_BRANCH:-covthemes-data}"
mkdir -p "$dir"
if [ "${DATA_BRANCH_FOUND:-}" = "true" ] && [ "$GITHUB_BASE_REF" = "${DEFAULT_BRANCH:-}" ] \
    && git show "refs/remotes/origin/$branch:themes.json" >"$dir/themes.json"; then
    echo "found=true"
    exit 0
fi
rm -f "$dir/themes.json"
workflow="${WORKFLOW_REF:-}"
workflow="${workflow%%@*}"
workflow="${workflow##*/}"
run_id=$(gh run list --repo "$GITHUB_REPOSITORY" --workflow "$workflow" \
    --branch "$GITHUB_BASE_REF" --event push --status success --limit 1 \
    --json databaseId --jq '.[0].databaseId' || true)
if [ -n "$run_id" ] && gh run download "$run_id" --repo "$GITHUB_REPOSITORY" \
    --name coverage-baseline --dir "$dir" && [ -f "$dir/themes.json" ]; then
    echo "found=true"
else
    echo "found=false"
fi
