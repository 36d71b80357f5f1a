"""Temporary git clones of the working tree: the only place benchmarks run.

`snapshot()` copies the files git would track (tracked and untracked, ignored
ones excluded: no `.tox`, no `coverage/` output) into a new repository with one
commit, so uncommitted work is what gets measured and the covthemes
provenance sees a real git revision. `fresh_clone()` clones that snapshot:
a clone has no `.tox`, which is what P2's cold setup starts from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from benchmarks.procs import scrubbed_env

IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def _git(args: list[str], cwd: Path) -> bytes:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=scrubbed_env(**IDENTITY), capture_output=True, check=True
    ).stdout


def snapshot(source: Path, dest: Path) -> Path:
    """A one-commit repository at `dest` holding `source`'s working tree."""
    listed = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], source)
    for name in filter(None, listed.split(b"\0")):
        relative = os.fsdecode(name)
        origin = source / relative
        if origin.is_file():  # a tracked file deleted in the working tree is skipped
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target)
    _git(["init", "-q", "-b", "main"], dest)
    _git(["add", "-A"], dest)
    _git(["commit", "-q", "-m", "benchmark snapshot of the working tree"], dest)
    return dest


def describe(source: Path) -> str:
    """The commit the snapshot starts from, and how many files differ from it."""
    head = _git(["rev-parse", "--short", "HEAD"], source).decode().strip()
    changed = [line for line in _git(["status", "--porcelain"], source).decode().splitlines() if line]
    return f"{head} + {len(changed)} uncommitted path(s)" if changed else head


def fresh_clone(snapshot_dir: Path, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    _git(["clone", "-q", str(snapshot_dir), str(dest)], dest.parent)
    return dest


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
