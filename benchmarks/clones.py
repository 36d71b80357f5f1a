"""The harness's temporary folder, and the snapshot of the working tree it measures.

The snapshot is the pipeline tests' (`devtools/worktree.py`): a one-commit
repository of the files git would track, so uncommitted work is measured. The
folder has no pytest config above it (`neutral_folder`), so a suite with none
of its own, such as networkx, does not pick up this repository's `pytest.ini`
from tox's temporary folder.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.procs import CommandFailed, run
from devtools import worktree

# Where pytest looks for its configuration, and the section that makes a file one.
PYTEST_CONFIGS = {
    "pytest.ini": "",
    ".pytest.ini": "",
    "pyproject.toml": "[tool.pytest.ini_options]",
    "tox.ini": "[pytest]",
    "setup.cfg": "[tool:pytest]",
}


def pytest_config_above(folder: Path) -> Path | None:
    """The first pytest config file in `folder` or above it, as pytest's rootdir search finds one."""
    for place in (folder, *folder.parents):
        for name, section in PYTEST_CONFIGS.items():
            candidate = place / name
            if candidate.is_file() and section in candidate.read_text(errors="replace"):
                return candidate
    return None


def neutral_folder() -> Path:
    """A new temporary folder with no pytest config above it: the system's, if TMPDIR has one."""
    for base in (Path(tempfile.gettempdir()), Path("/tmp")):
        if base.is_dir() and pytest_config_above(base.resolve()) is None:
            return Path(tempfile.mkdtemp(prefix="themed-bench-", dir=base)).resolve()
    raise CommandFailed(
        f"every temporary folder has a pytest config above it ({pytest_config_above(Path('/tmp'))}): "
        "set TMPDIR to a folder outside any project"
    )


def snapshot(source: Path, dest: Path) -> Path:
    """A one-commit repository at `dest` holding `source`'s working tree."""
    return worktree.snapshot(source, dest, "benchmark snapshot of the working tree")


def describe(source: Path) -> str:
    """The commit the snapshot starts from, and how many paths differ from it."""
    head = run(["git", "rev-parse", "--short", "HEAD"], source).strip()
    changed = run(["git", "status", "--porcelain"], source).splitlines()
    return f"{head} + {len(changed)} uncommitted path(s)" if changed else head


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
