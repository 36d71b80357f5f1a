#!/usr/bin/env bash
# Check out origin's data branch, where CI keeps the default branch's
# history.json, themes.json and badges, into DIR, a worktree of the
# repository in the working folder: detached at the branch's tip, or empty
# when origin has no such branch yet (push-data-branch.sh then starts it as
# an orphan).
#
#   checkout-data-branch.sh DIR
#
# The branch is COVTHEMES_DATA_BRANCH (default: covthemes-data). Prints
# `found=true` or `found=false`, a line for $GITHUB_OUTPUT. DIR is replaced
# when it holds an earlier checkout. Any git failure other than a missing
# branch (the network, say) fails the script.
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: checkout-data-branch.sh DIR" >&2
    exit 2
fi
case "$1" in
    /*) dir="$1" ;;
    *) dir="$PWD/$1" ;;
esac
cd "$(git rev-parse --show-toplevel)"
branch="${COVTHEMES_DATA_BRANCH:-covthemes-data}"
if ! git check-ref-format "refs/heads/$branch"; then
    echo "checkout-data-branch.sh: $branch is not a valid branch name: set COVTHEMES_DATA_BRANCH to one" >&2
    exit 2
fi

# DIR is replaced only when it is a worktree (an earlier checkout): any other
# folder with files in it is refused rather than deleted.
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ] && ! git worktree remove --force "$dir" 2>/dev/null; then
    echo "checkout-data-branch.sh: $dir is not a worktree of this repository: remove it, or choose another DIR" >&2
    exit 2
fi
git worktree prune

# ls-remote exits 2 when the remote has no matching ref.
status=0
git ls-remote --exit-code --heads origin "refs/heads/$branch" >/dev/null || status=$?
if [ "$status" -eq 0 ]; then
    git fetch --quiet --no-tags origin "+refs/heads/$branch:refs/remotes/origin/$branch"
    git worktree add --quiet --detach "$dir" "refs/remotes/origin/$branch"
    echo "found=true"
elif [ "$status" -eq 2 ]; then
    # An empty folder on no branch: push-data-branch.sh commits it with no parent.
    git worktree add --quiet --detach "$dir"
    git -C "$dir" rm -r --quiet --force .
    echo "found=false"
else
    echo "checkout-data-branch.sh: git ls-remote origin failed (exit $status)" >&2
    exit "$status"
fi
