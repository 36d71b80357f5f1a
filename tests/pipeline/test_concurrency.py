"""Concurrent covthemes processes in one checkout: they take turns, and a killed one blocks nobody.

The checkout is a copy of the second repository that `test_adoption.py`
builds and publishes (four themes, a few dozen statements): a publish there
takes about a second, against minutes for the monorepo's matrix, and the
data is real. The processes are the real `covthemes` scripts of that
repository's tox envs.

To make the overlap certain rather than likely, the process that won the
lock is stopped (SIGSTOP) until the other one has said it is waiting, then
continued: both were started at once, and the waiting is observed, not
inferred from timing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pipeline.helpers import scrubbed_env, tox
from tests.pipeline.test_adoption import OUTPUT, THEMES, Adopted, adopted_repository, copy_of

pytestmark = pytest.mark.pipeline

OUTPUTS = ("html/index.html", "baseline.json", "themes.json", "lines.json", "summary.md")
# A publish of the second repository takes about a second; a run of one of
# its themes, less. Generous bounds for a loaded 2-core machine.
DEADLINE = 120


@pytest.fixture(scope="session")
def adopted(tmp_path_factory) -> Adopted:
    return adopted_repository(tmp_path_factory)


@pytest.fixture
def checkout(adopted, tmp_path) -> Path:
    """A copy of the published second repository that this test may write into."""
    return copy_of(adopted, tmp_path / "inventory")


class Started:
    """A process started in the background, its output going to files."""

    def __init__(self, args: list[str], cwd: Path, logs: Path, **env: str) -> None:
        self.out, self.err = logs.with_suffix(".out"), logs.with_suffix(".err")
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen(args, cwd=cwd, env=scrubbed_env(**env), stdout=out, stderr=err)

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def stderr(self) -> str:
        return self.err.read_text()

    @property
    def output(self) -> str:
        return self.out.read_text() + self.err.read_text()

    def wait(self) -> int:
        return self.proc.wait(timeout=DEADLINE)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.005)


def holder(lock: Path) -> int | None:
    """The process id a covthemes lock's owner file names, if any."""
    try:
        text = lock.with_name(lock.name + ".owner").read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def take_turns(first: Started, second: Started, lock: Path) -> tuple[Started, Started]:
    """With both started, hold the winner still until the other waits; return (winner, waiter)."""
    wait_for(lambda: holder(lock) in (first.pid, second.pid), f"a process to take {lock.name}")
    winner, waiter = (first, second) if holder(lock) == first.pid else (second, first)
    os.kill(winner.pid, signal.SIGSTOP)
    try:
        wait_for(lambda: "waiting" in waiter.stderr, "the other process to say it is waiting")
    finally:
        os.kill(winner.pid, signal.SIGCONT)
    return winner, waiter


def assert_report_whole(checkout: Path) -> None:
    output = checkout / OUTPUT
    for name in OUTPUTS:
        assert (output / name).is_file(), name
    for theme in THEMES:
        for suffix in ("json", "lcov", "xml"):
            assert (output / "themes" / f"{theme}.{suffix}").is_file()
    themes = json.loads((output / "themes.json").read_text())
    assert themes["format"] == 4 and list(themes["themes"]) == list(THEMES)
    assert not list(output.glob(".staging*")), list(output.glob(".staging*"))
    assert not (output / ".swap").exists()


def test_two_publishes_at_once_take_turns(adopted, checkout, tmp_path):
    """Two publishes started at once both exit 0; the second waits, naming the holder's process id."""
    publish = [str(adopted.tool("cov-combine")), "publish"]
    first = Started(publish, checkout, tmp_path / "first")
    second = Started(publish, checkout, tmp_path / "second")
    winner, waiter = take_turns(first, second, checkout / OUTPUT / ".publish.lock")
    assert winner.wait() == 0, winner.output
    assert waiter.wait() == 0, waiter.output
    message = next(line for line in waiter.stderr.splitlines() if "waiting" in line)
    assert re.search(rf"\bprocess {winner.pid}\b", message), message
    assert "waiting" not in winner.stderr
    assert "Traceback" not in winner.output + waiter.output
    assert_report_whole(checkout)


def test_two_runs_of_one_theme_take_turns(checkout, tmp_path):
    """Two runs of one theme at once both exit 0, and the data left is the data its record vouches for."""
    # The copy's own env, so that its editable install is the copy's source.
    made = tox(checkout, "-e", "cov-unit", "--notest")
    assert made.returncode == 0, made.output
    command = [str(checkout / ".tox" / "cov-unit" / "bin" / "covthemes"), "run", "unit"]
    runs = [Started(command, checkout, tmp_path / name, COVERAGE_CONTEXT="unit") for name in ("a", "b")]
    winner, waiter = take_turns(*runs, checkout / OUTPUT / "data" / ".run-unit.lock")
    assert winner.wait() == 0, winner.output
    assert waiter.wait() == 0, waiter.output
    assert re.search(rf"waiting for the run of theme 'unit'.*process {winner.pid}", waiter.stderr)
    data = checkout / OUTPUT / "data" / ".coverage.unit"
    record = json.loads((checkout / OUTPUT / "data" / "provenance.unit.json").read_text())
    assert record["status"] == "passed" and record["tests"] == 4
    assert record["data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    # The publish's own checks agree: readable data, unchanged since its run.
    published = subprocess.run(
        [str(checkout / ".tox" / "cov-unit" / "bin" / "covthemes"), "publish"],
        cwd=checkout,
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert published.returncode == 0, published.stdout + published.stderr


def test_lock_of_a_killed_publish_blocks_nothing(adopted, checkout, tmp_path):
    """A publish SIGKILLed while it holds the lock leaves it behind; the next publish runs at once."""
    publish = [str(adopted.tool("cov-combine")), "publish"]
    lock = checkout / OUTPUT / ".publish.lock"
    killed = Started(publish, checkout, tmp_path / "killed")
    staging = checkout / OUTPUT / f".staging-{killed.pid}"
    # Killed midway through building its reports, the lock held.
    wait_for(lambda: holder(lock) == killed.pid and staging.exists(), "the publish to start staging")
    os.kill(killed.pid, signal.SIGKILL)
    assert killed.wait() == -signal.SIGKILL
    assert holder(lock) == killed.pid  # the owner file it could not remove
    started = time.monotonic()
    after = Started(publish, checkout, tmp_path / "after")
    assert after.wait() == 0, after.output
    elapsed = time.monotonic() - started
    assert elapsed < 30, elapsed
    assert "waiting" not in after.stderr
    assert holder(lock) is None
    assert_report_whole(checkout)
