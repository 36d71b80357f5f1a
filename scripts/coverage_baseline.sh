#!/usr/bin/env bash
# Themed coverage without tox, in the current Python environment (which needs
# the project and its `test` dependency group installed).
#
#   scripts/coverage_baseline.sh [THEME ...]     default: every theme
#
# Runs each theme with the same command tox's cov-<theme> envs run, then the
# same publish step as cov-combine. Themes not named keep their existing data,
# which the publish step checks for freshness.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"
# The environment first: without it, every theme would fail the same way.
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "coverage_baseline.sh: no Python interpreter '$PYTHON' here: set PYTHON to one, or activate the environment (uv sync --group test, then . .venv/bin/activate), or use tox: tox -p -m coverage" >&2
    exit 2
fi
if ! "$PYTHON" -c "import covthemes, pytest_cov" 2>/dev/null; then
    where="$("$PYTHON" -c 'import sys; print(sys.prefix)' 2>/dev/null || echo "$PYTHON")"
    echo "coverage_baseline.sh: the Python environment $where lacks covthemes or pytest-cov (the project's \`test\` dependency group): make one with \`uv sync --group test\` and activate it (. .venv/bin/activate), or use tox: tox -p -m coverage" >&2
    exit 2
fi
mapfile -t ALL_THEMES < <("$PYTHON" -m covthemes themes)

usage() {
    echo "usage: scripts/coverage_baseline.sh [THEME ...]"
    echo "themes: ${ALL_THEMES[*]} (default: all)"
    echo "environment: PYTHON (interpreter, default: python); publish options via COVTHEMES_ALLOW_MIXED_REVISIONS=1, COVTHEMES_ENFORCE_THRESHOLDS=1"
}

themes=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        -*) echo "coverage_baseline.sh: unknown option: $arg" >&2; usage >&2; exit 2 ;;
        *)
            if [[ " ${ALL_THEMES[*]} " != *" $arg "* ]]; then
                echo "coverage_baseline.sh: unknown theme: $arg" >&2; usage >&2; exit 2
            fi
            themes+=("$arg") ;;
    esac
done
if [[ ${#themes[@]} -eq 0 ]]; then
    themes=("${ALL_THEMES[@]}")
fi

# Each run replaces its own data file and sidecar by exact name (never a
# `.coverage*` glob, which also matches .coveragerc). A failing theme does not
# stop the others: its data is still published, marked failed.
status=0
for theme in "${themes[@]}"; do
    echo "== theme: $theme"
    "$PYTHON" -m covthemes run "$theme" || status=$?
done

echo "== publish"
"$PYTHON" -m covthemes publish || status=$?
exit "$status"
