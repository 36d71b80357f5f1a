"""The report's history over real commits: `covthemes history add` after each publish, and the data branch.

The `recorded` clone (conftest) publishes three commits, each changing the
coverage, and adds each report to a local history.json; then it publishes
the last commit again. Every number of the history is checked against the
three themes.json files. The data branch is pushed to a local bare
repository standing in for origin, with CI's own script
(`tools/covthemes/action/push-data-branch.sh`, which the reusable workflow
runs), and read back.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from devtools.worktree import IDENTITY
from tests.pipeline.helpers import THEMES, load_json, run, scrubbed_env, tox

pytestmark = pytest.mark.pipeline


def point(report: dict) -> dict:
    """The history entry a themes.json should give, written out from its fields by hand."""
    return {
        "revision": report["revision"]["git"],
        "source_hash": report["revision"]["source_hash"],
        "time": report["generated"],
        "themes": {
            name: {
                "percent": theme["total"]["percent_covered"],
                "covered_lines": theme["total"]["covered_lines"],
                "unique_lines": theme["unique_lines"]["total"],
                "import_only_lines": theme["import_only_lines"]["total"],
                "by_tests_percent": theme["by_tests"]["percent_covered"],
            }
            for name, theme in report["themes"].items()
        },
        "total": {
            "percent": report["total"]["total"]["percent_covered"],
            "covered_lines": report["total"]["total"]["covered_lines"],
            "blind_spots": report["uncovered_lines"]["total"],
        },
    }


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=scrubbed_env(**IDENTITY)
    ).stdout


def test_three_commits_give_three_entries_equal_to_their_reports(recorded):
    """Before the rerun, history.json holds one entry per commit, oldest first, with each report's numbers."""
    assert recorded.before_rerun["format"] == 1
    assert recorded.before_rerun["entries"] == [point(report) for report in recorded.reports]
    assert [e["revision"] for e in recorded.before_rerun["entries"]] == list(recorded.revisions)


def test_each_commit_moved_the_numbers(recorded):
    """The security test moves security's cover and the blind spots; the uncalled helper moves every theme."""
    first, second, third = (point(report) for report in recorded.reports)
    assert second["themes"]["security"]["percent"] > first["themes"]["security"]["percent"]
    assert second["total"]["blind_spots"] == first["total"]["blind_spots"] - 1
    for theme in set(THEMES) - {"security"}:
        assert second["themes"][theme] == first["themes"][theme]
    assert third["total"]["blind_spots"] == second["total"]["blind_spots"] + 1
    for theme in THEMES:
        assert third["themes"][theme]["percent"] < second["themes"][theme]["percent"]


def test_a_rerun_on_the_last_commit_replaces_its_entry(recorded):
    """Published again on the last commit, the history keeps three entries, the last one the rerun's."""
    entries = load_json(recorded.history)["entries"]
    assert entries[:2] == recorded.before_rerun["entries"][:2]
    assert entries[2] == point(recorded.rerun)
    assert entries[2]["time"] > recorded.before_rerun["entries"][2]["time"]


def test_keep_prunes_to_the_newest(recorded, tmp_path):
    """`history add --keep 2` leaves the two newest entries, the report's commit last."""
    history = tmp_path / "history.json"
    shutil.copy2(recorded.history, history)
    result = tox(recorded.clone, "-e", "cov-history", "--", "--history", str(history), "--keep", "2")
    assert result.returncode == 0, result.output
    assert "2 entries, 1 older pruned" in result.output
    assert [e["revision"] for e in load_json(history)["entries"]] == list(recorded.revisions[1:])


def test_a_broken_history_is_one_line_and_exit_2(recorded, tmp_path):
    """A cut-short history.json makes `history add` and `publish --history` exit 2 with one line naming it."""
    history = tmp_path / "history.json"
    history.write_text(recorded.history.read_text()[:100])
    before = (recorded.clone / "coverage" / "index.html").read_bytes()
    for env in ("cov-history", "cov-combine"):
        result = tox(recorded.clone, "-e", env, "--", "--history", str(history))
        assert result.returncode == 2, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("covthemes: error:")]
        assert len(errors) == 1, result.output
        assert errors[0].startswith(f"covthemes: error: --history {history.resolve()} is not valid JSON")
        assert "Traceback" not in result.output
    assert (recorded.clone / "coverage" / "index.html").read_bytes() == before


@pytest.fixture
def origin(recorded, tmp_path) -> Path:
    """A bare repository as the clone's origin; it rejects the first push, as when another push wins."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", str(bare))
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(
        '#!/bin/sh\nif [ ! -e "$GIT_DIR/raced" ]; then touch "$GIT_DIR/raced"; '
        'echo "another push got there first" >&2; exit 1; fi\n'
    )
    hook.chmod(0o755)
    git(recorded.clone, "remote", "set-url", "origin", str(bare))
    return bare


def push_data_branch(recorded, folder: Path):
    script = "tools/covthemes/action/push-data-branch.sh"
    result = run([script, str(folder), "coverage"], recorded.clone, **IDENTITY)
    assert result.returncode == 0, result.output
    return result


def test_the_data_branch_is_started_then_grown_on_origin(recorded, origin, tmp_path):
    """CI's script starts covthemes-data as an orphan on origin, then adds to it; a clone reads it back."""
    folder = tmp_path / "data"
    first = push_data_branch(recorded, folder)
    assert "push 1 of 5 was rejected" in first.output
    assert git(origin, "rev-list", "--count", "covthemes-data").strip() == "1"
    files = set(git(origin, "ls-tree", "-r", "--name-only", "covthemes-data").split())
    assert files == {"README.md", "history.json", "themes.json"} | {
        f"badges/{name}.json" for name in (*THEMES, "total")
    }
    started = json.loads(git(origin, "show", "covthemes-data:history.json"))
    assert started["entries"] == [point(recorded.rerun)]

    # The local three-commit history becomes the branch's, as if CI had recorded each commit.
    reader = tmp_path / "reader"
    git(tmp_path, "clone", "--quiet", "--branch", "covthemes-data", str(origin), str(reader))
    shutil.copy2(recorded.history, reader / "history.json")
    git(reader, "commit", "--quiet", "-am", "three commits")
    git(reader, "push", "--quiet", "origin", "covthemes-data")
    push_data_branch(recorded, folder)
    git(reader, "pull", "--quiet", "--ff-only")
    assert git(reader, "rev-list", "--count", "HEAD").strip() == "3"
    assert load_json(reader / "history.json") == load_json(recorded.history)
    assert load_json(reader / "themes.json") == recorded.rerun
    for name in (*THEMES, "total"):
        badge = f"badges/{name}.json"
        assert (reader / badge).read_bytes() == (recorded.clone / "coverage" / badge).read_bytes()
