#!/usr/bin/env bash
# Record the published report on origin's data branch: add it to the
# branch's history.json (`covthemes history add`), copy the output folder's
# themes.json and badges/ beside it, commit and push. The branch is started
# as an orphan when origin has none. A push that loses a race with another
# one starts again from the branch's new tip, up to five times.
#
#   push-data-branch.sh DIR OUTPUT
#
# DIR is the branch's working folder (see checkout-data-branch.sh), OUTPUT
# the published output folder (`output` of [tool.covthemes], such as
# coverage). The branch is COVTHEMES_DATA_BRANCH (default: covthemes-data).
# The commit's author and committer come from git's usual GIT_AUTHOR_* and
# GIT_COMMITTER_* variables or config.
set -euo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: push-data-branch.sh DIR OUTPUT" >&2
    exit 2
fi
case "$1" in
    /*) dir="$1" ;;
    *) dir="$PWD/$1" ;;
esac
case "$2" in
    /*) output="$2" ;;
    *) output="$PWD/$2" ;;
esac
here="$(cd "$(dirname "$0")" && pwd)"
cd "$(git rev-parse --show-toplevel)"
branch="${COVTHEMES_DATA_BRANCH:-covthemes-data}"
revision="$(git rev-parse HEAD)"

for attempt in 1 2 3 4 5; do
    found="$("$here/checkout-data-branch.sh" "$dir")"
    covthemes history add --history "$dir/history.json"
    cp "$output/themes.json" "$dir/themes.json"
    rm -rf "$dir/badges"
    cp -RL "$output/badges" "$dir/badges"
    cat > "$dir/README.md" <<TEXT
# $branch

Written by CI on each push to the default branch (covthemes' push-data-branch.sh);
never edit it by hand. \`history.json\` is the history of the themed coverage
report, one entry per commit; \`themes.json\` and \`badges/\` are the latest
report's. The layout is described in the covthemes README, under GitHub Actions.
TEXT
    # history.json.lock is covthemes' lock beside the history, never a file of the branch.
    exclude="$(git -C "$dir" rev-parse --path-format=absolute --git-path info/exclude)"
    mkdir -p "$(dirname "$exclude")"
    grep -qx history.json.lock "$exclude" 2>/dev/null || echo history.json.lock >>"$exclude"
    git -C "$dir" add -A
    tree="$(git -C "$dir" write-tree)"
    parents=()
    if [ "$found" = "found=true" ]; then
        parents=(-p "refs/remotes/origin/$branch")
    fi
    commit="$(git -C "$dir" commit-tree "$tree" "${parents[@]}" -m "covthemes: the report of $revision")"
    if git -C "$dir" push --quiet origin "$commit:refs/heads/$branch"; then
        echo "push-data-branch.sh: pushed the report of $revision to $branch ($commit)"
        exit 0
    fi
    echo "push-data-branch.sh: push $attempt of 5 was rejected; starting again from the branch's tip" >&2
    sleep $((attempt * 3))
done
echo "push-data-branch.sh: could not push to $branch after 5 attempts" >&2
exit 1
