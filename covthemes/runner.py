"""Run one theme's tests under coverage and record where the data came from.

tox's `cov-<theme>` environments and `scripts/coverage_baseline.sh` both call
`python -m covthemes run <theme>`, so the two paths run the same command:

    pytest -m <theme> --cov --cov-context=test [extra pytest args]

with `COVERAGE_CONTEXT=<theme>` (the static context `.coveragerc` reads) and
`COVERAGE_FILE=coverage/data/.coverage.<theme>` (one data file per theme).
pytest runs in this process: a second interpreter start-up would buy nothing.
The publish half lives in `covthemes.publish`.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

import coverage
import pytest

from covthemes import DATA_DIR, UsageError, check_theme, data_file, provenance, provenance_file

STATUS_BY_EXIT = {
    pytest.ExitCode.OK: "passed",
    pytest.ExitCode.TESTS_FAILED: "failed",
    pytest.ExitCode.NO_TESTS_COLLECTED: "no-tests",
}


class _Tally:
    """A pytest plugin counting what the themed run selected and how it ended."""

    def __init__(self) -> None:
        self.selected = 0
        self.outcomes = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.selected = len(session.items)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            key = "skipped" if report.skipped else report.outcome
            self.outcomes[key] += 1
        elif report.failed:
            self.outcomes["errors"] += 1
        elif report.skipped and report.when == "setup":
            self.outcomes["skipped"] += 1


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def pytest_args(theme: str, extra: list[str]) -> list[str]:
    # --cov-report= skips pytest-cov's terminal table: the publish step reports
    # all themes at once, so a per-theme table is only noise and time.
    return ["-m", theme, "--cov", "--cov-context=test", "--cov-report=", *extra]


def run_theme(theme: str, extra: list[str], root: Path | None = None) -> int:
    """Run `theme`'s tests; return pytest's exit code (always non-zero when none ran)."""
    root = root or Path.cwd()
    check_theme(theme)
    context = os.environ.get("COVERAGE_CONTEXT")
    if context not in (None, "", theme):
        raise UsageError(
            f"COVERAGE_CONTEXT is {context!r} but the theme is {theme!r}: "
            f"unset it, or run `tox -e cov-{theme}`"
        )
    (root / DATA_DIR).mkdir(parents=True, exist_ok=True)
    # A stale sidecar must never vouch for data this run is about to replace.
    (root / provenance_file(theme)).unlink(missing_ok=True)
    os.environ["COVERAGE_CONTEXT"] = theme
    os.environ["COVERAGE_FILE"] = str(data_file(theme))

    tally = _Tally()
    started = _now()
    try:
        exit_code = int(pytest.main(pytest_args(theme, extra), plugins=[tally]))
    except BaseException:
        # pytest itself raised (in a hook of its own teardown, say): record an
        # unfinished run, which publish refuses by name, and show the traceback.
        _record(root, theme, tally, started, int(pytest.ExitCode.INTERNAL_ERROR))
        raise
    _record(root, theme, tally, started, exit_code)
    if exit_code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(
            f"covthemes: error: theme {theme!r} selected no tests, so it would "
            f"publish a silent 0%. Check the arguments after `--`, or mark tests "
            f"with `pytestmark = pytest.mark.{theme}`.",
            file=sys.stderr,
        )
    return exit_code


def _record(root: Path, theme: str, tally: _Tally, started: str, exit_code: int) -> None:
    data = root / data_file(theme)
    provenance.write(
        root,
        theme,
        {
            "theme": theme,
            "status": STATUS_BY_EXIT.get(exit_code, "error"),
            "pytest_exit_code": exit_code,
            "tests": tally.selected,
            "outcomes": tally.outcomes,
            "git_revision": provenance.git_revision(root),
            "source_hash": provenance.source_hash(root),
            "python": platform.python_version(),
            "python_implementation": platform.python_implementation(),
            "coverage_version": coverage.__version__,
            "coverage_core": os.environ.get("COVERAGE_CORE") or "default",
            "started": started,
            "ended": _now(),
            "data_file": data_file(theme).as_posix(),
            "data_sha256": provenance.file_sha256(data) if data.exists() else None,
        },
    )
