#!/usr/bin/env bash
# Install, with pip on the job's Python, what the action's verb needs.
#
#   INPUT_VERB=run INPUT_TOX=false install.sh
#
# Without tox: covthemes (INPUT_COVTHEMES, a pip requirement; default this
# action's folder with the diff, xdist and shards extras) and INPUT_INSTALL,
# pip arguments for the project and its test dependencies, split on
# whitespace. With tox (INPUT_TOX=true) the envs install the project
# themselves: tox and tox-uv for `run` and `publish`, and covthemes for
# `publish` and `diff` (the data branch's `covthemes history add`, and
# `covthemes diff`, run outside tox).
set -euo pipefail

action="$(cd "$(dirname "$0")/.." && pwd)"
covthemes="${INPUT_COVTHEMES:-$action[diff,xdist,shards]}"
packages=()
if [ "${INPUT_TOX:-false}" = true ]; then
    [ "$INPUT_VERB" = diff ] || packages+=(tox tox-uv)
    [ "$INPUT_VERB" = run ] || packages+=("$covthemes")
else
    read -ra extra <<< "${INPUT_INSTALL:-}"
    packages+=("$covthemes" "${extra[@]}")
fi
python -m pip install "${packages[@]}"
