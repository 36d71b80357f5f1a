"""Temporary git clones of the working tree: the only place benchmarks run.

`snapshot()` is the snapshot the pipeline tests also use
(`devtools/worktree.py`): a one-commit repository of the files git would track, so uncommitted work is
what gets measured. `fresh_clone()` clones it: a clone has no `.tox`, which is
what P2's cold setup starts from.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from benchmarks.procs import scrubbed_env
from devtools import worktree


def _git(args: list[str], cwd: Path) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, env=scrubbed_env(), capture_output=True, check=True).stdout


def snapshot(source: Path, dest: Path) -> Path:
    """A one-commit repository at `dest` holding `source`'s working tree."""
    return worktree.snapshot(source, dest, "benchmark snapshot of the working tree")


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
