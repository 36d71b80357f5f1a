"""Helpers of the pipeline tests: scrubbed child processes, tox and git in temporary clones, reading results.

Every test here drives the real tox, pytest and coverage commands in a
temporary clone of this working tree (tracked and untracked files, so
uncommitted work is what gets tested) and asserts on the files they write.
The fixtures that make the clones are in conftest.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from devtools import worktree

REPO = Path(__file__).resolve().parents[2]


# Read here, not through covthemes: the tests check the tool against the
# configuration, so they do not take the tool's word for it.
THEMES: tuple[str, ...] = tuple(
    tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["covthemes"]["themes"]
)


MATRIX = ",".join([*(f"cov-{theme}" for theme in THEMES), "cov-combine"])


def scrubbed_env(**extra: str) -> dict[str, str]:
    env = worktree.scrubbed_environ()
    # Drop the parent's virtual environment from PATH so `tox` resolves to
    # the same tool a user would run, and child envs are built from scratch.
    tool_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(
        [tool_dir] + [p for p in env.get("PATH", "").split(os.pathsep) if p != tool_dir]
    )
    env.update(extra)
    return env


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(args: list[str], cwd: Path, timeout: int = 900, **env: str) -> Result:
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=scrubbed_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def find_python(version: str) -> str | None:
    """A working `python<version>` on PATH (pyenv shims that cannot run are passed over)."""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(folder) / f"python{version}"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            probe = subprocess.run(
                [str(candidate), "-c", "import sys; print(sys.version_info[:2])"],
                env=scrubbed_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.returncode == 0:
                return str(candidate)
    return None


def tox(clone: Path, *args: str, **env: str) -> Result:
    return run([sys.executable, "-m", "tox", *args], clone, **env)


def snapshot_working_tree(dest: Path) -> Path:
    """A git repository holding this working tree as one commit."""
    return worktree.snapshot(REPO, dest)


def git_status(clone: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--ignored=no"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def load_json(path: Path) -> dict:
    return json.loads(path.read_text())


def report_digest(clone: Path) -> dict[str, bytes]:
    """Every published file's bytes, as a reader reaches them through the output folder's
    published names (links into the current generation); data/ and working folders excluded."""
    root = clone / "coverage"
    found = {}
    for entry in sorted(root.iterdir()) if root.is_dir() else ():
        if entry.name == "data" or entry.name.startswith("."):
            continue
        if entry.is_file():
            found[entry.name] = entry.read_bytes()
        for dirpath, _, filenames in os.walk(entry) if entry.is_dir() else ():
            for name in filenames:
                path = Path(dirpath) / name
                found[f"{entry.name}/{path.relative_to(entry).as_posix()}"] = path.read_bytes()
    return dict(sorted(found.items()))


def copy_theme_data(source: Path, dest: Path, themes) -> None:
    (dest / "coverage" / "data").mkdir(parents=True, exist_ok=True)
    for theme in themes:
        for name in (f".coverage.{theme}", f"provenance.{theme}.json"):
            shutil.copy2(source / "coverage" / "data" / name, dest / "coverage" / "data" / name)


# The changes of the history's three commits: the snapshot, then a security
# test of the one line of logging_lib/loggers.py no theme runs (security's
# cover, all themes' and the blind spots move; only security runs again),
# then a function no test calls in apps/api/problems.py (every theme runs
# again; every percent moves and a blind spot is added).
CRITICAL_TEST = Path("tests/unit/logging_lib/test_critical_events.py")


CRITICAL_TEST_TEXT = '''\
import io

import pytest

from logging_lib import StreamSink, configure, get_logger

pytestmark = pytest.mark.security


def test_critical_events_reach_the_sink():
    """A critical event is written to the configured sink."""
    buffer = io.StringIO()
    configure("INFO", [StreamSink(buffer)])
    get_logger("tests.critical").critical("intrusion detected")
    assert "intrusion detected" in buffer.getvalue()
'''


UNCALLED = Path("apps/api/problems.py")


UNCALLED_TEXT = """

def uncalled_helper() -> int:
    return 3
"""


@dataclass(frozen=True)
class Recorded:
    """A clone published at three commits, `covthemes history add` after each, then again on the last."""

    clone: Path
    history: Path
    # themes.json after each commit's publish, and after the last commit's second publish.
    reports: tuple[dict, ...]
    rerun: dict
    # The commits, oldest first; and history.json as it was before the rerun.
    revisions: tuple[str, ...]
    before_rerun: dict


def head(clone: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.strip()


def summary_table(text: str) -> dict[str, dict[str, str]]:
    """summary.md's theme table: each row's cells by column heading, keyed by the row's label."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Theme | Status |"))
    headings = [cell.strip() for cell in lines[start].strip("|").split("|")]
    table = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(headings, cells, strict=True))
    return table
