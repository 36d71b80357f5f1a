"""Copies of this working tree, for the tools that must never write into it.

The pipeline tests (`tests/pipeline/conftest.py`) and the benchmarks
(`benchmarks/__main__.py`) both run their commands in a one-commit repository
holding the working tree: tracked and untracked files, ignored ones excluded
(no `.tox`, no `coverage/` output), so uncommitted work is what gets run and
covthemes' provenance sees a real git revision. No pytest import here: the
`bench` env has no pytest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# Variables a parent run (tox, pytest, pytest-cov, coverage, a publish) would
# leak into a child: with them, the child's data lands in the parent's files
# or contexts, or a child tox thinks it runs inside the parent's env.
SCRUBBED_PREFIXES = ("COVERAGE_", "COV_CORE_", "TOX_", "_TOX", "PYTEST_", "VIRTUAL_ENV", "COVTHEMES_")
IDENTITY = {
    "GIT_AUTHOR_NAME": "worktree",
    "GIT_AUTHOR_EMAIL": "worktree@example.invalid",
    "GIT_COMMITTER_NAME": "worktree",
    "GIT_COMMITTER_EMAIL": "worktree@example.invalid",
}


def scrubbed_environ() -> dict[str, str]:
    """`os.environ` without the variables in SCRUBBED_PREFIXES."""
    return {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}


def commit(repo: Path, message: str, init: bool = False) -> None:
    """Commit everything in `repo` (creating the repository first with `init`)."""
    steps = [["git", "init", "-q", "-b", "main"]] if init else []
    steps += [["git", "add", "-A"], ["git", "commit", "-q", "--allow-empty", "-m", message]]
    for step in steps:
        subprocess.run(step, cwd=repo, env={**scrubbed_environ(), **IDENTITY}, check=True)


def snapshot(source: Path, dest: Path, message: str = "snapshot of the working tree") -> Path:
    """A one-commit repository at `dest` holding `source`'s working tree."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=source,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        origin = source / os.fsdecode(name)
        if origin.is_file():  # a tracked file deleted in the working tree is skipped
            target = dest / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    commit(dest, message, init=True)
    return dest
