"""`covthemes run THEME`: one theme's tests under coverage, and the record of where the data came from.

pytest runs in this process, as

    pytest --covthemes-theme THEME --cov --cov-context=test --cov-report= [PYTEST_ARGS]

with `COVERAGE_CONTEXT=THEME` (the static context the coverage config reads)
and `COVERAGE_FILE=<output>/data/.coverage.THEME` (one data file per theme,
so parallel themes never share one). The covthemes pytest plugin
(`covthemes.plugin`) keeps the theme's tests; a theme chosen by path alone
passes only its files to pytest, so collection shrinks to them. Two runs of
one theme in a checkout take turns under the theme's lock.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from covthemes import coverage_config, lock, provenance
from covthemes.config import Settings
from covthemes.errors import ConfigError
from covthemes.provenance import Outcomes, Provenance, Revision

STATUS_BY_EXIT: dict[int, str] = {
    pytest.ExitCode.OK: "passed",
    pytest.ExitCode.TESTS_FAILED: "failed",
    pytest.ExitCode.NO_TESTS_COLLECTED: "no-tests",
}


class _Tally:
    """A pytest plugin counting what the themed run selected and how it ended."""

    def __init__(self) -> None:
        self.selected = 0
        self.passed = self.failed = self.skipped = self.errors = 0

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.selected = len(session.items)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call":
            if report.skipped:
                self.skipped += 1
            elif report.passed:
                self.passed += 1
            else:
                self.failed += 1
        elif report.failed:
            self.errors += 1
        elif report.skipped and report.when == "setup":
            self.skipped += 1

    @property
    def outcomes(self) -> Outcomes:
        return Outcomes(self.passed, self.failed, self.skipped, self.errors)


def pytest_args(settings: Settings, theme: str, extra: list[str]) -> list[str]:
    """pytest's arguments for one theme's run."""
    args = ["--covthemes-theme", theme, "--cov", "--cov-context=test"]
    # No terminal table: the publish step reports every theme at once.
    args.append("--cov-report=")
    if settings.coverage_config:
        args.append(f"--cov-config={settings.coverage_config}")
    args += extra
    if settings.path_only(theme) and not _names_paths(extra):
        args += sorted(
            path.relative_to(settings.root.resolve()).as_posix() for path in settings.theme_files()[theme]
        )
    return args


def _names_paths(extra: list[str]) -> bool:
    """True when the extra arguments name files or folders for pytest to collect."""
    return any(not arg.startswith("-") and (Path(arg.split("::")[0]).exists()) for arg in extra)


def run_theme(settings: Settings, theme: str, extra: list[str]) -> int:
    """Run `theme`'s tests; return pytest's exit code (never 0 when none ran)."""
    if theme not in settings.themes:
        raise ConfigError(f"unknown theme {theme!r}: choose one of {', '.join(settings.themes)}")
    context = os.environ.get("COVERAGE_CONTEXT")
    if context not in (None, "", theme):
        raise ConfigError(
            f"COVERAGE_CONTEXT is {context!r} but the theme is {theme!r}: "
            f"unset it, or run `{settings.rerun(theme)}`"
        )
    folders = list(coverage_config.check(settings).source_folders)
    root = settings.root
    (root / settings.layout.data).mkdir(parents=True, exist_ok=True)
    with lock.held(root / settings.layout.run_lock(theme), f"the run of theme {theme!r}"):
        # A stale sidecar must never vouch for data this run is about to replace.
        (root / settings.provenance_file(theme)).unlink(missing_ok=True)
        os.environ["COVERAGE_CONTEXT"] = theme
        os.environ["COVERAGE_FILE"] = str(root / settings.data_file(theme))
        tally = _Tally()
        started = provenance.now()
        try:
            exit_code = int(pytest.main(pytest_args(settings, theme, extra), plugins=[tally]))
        except BaseException:
            # pytest itself raised (in a hook of its own teardown, say): record
            # an unfinished run, which publish refuses by name, and let the
            # traceback show.
            _record(settings, theme, tally, started, int(pytest.ExitCode.INTERNAL_ERROR), folders)
            raise
        _record(settings, theme, tally, started, exit_code, folders)
    if exit_code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(
            f"covthemes: error: theme {theme!r} selected no tests, so it would publish a silent 0%. "
            f"Check the arguments after `--`, or {_how_to_add(settings, theme)}.",
            file=sys.stderr,
        )
    return exit_code


def _how_to_add(settings: Settings, theme: str) -> str:
    if settings.path_only(theme):
        return f"correct the globs of {theme!r} in [tool.covthemes.paths]"
    return f"mark tests with `pytestmark = pytest.mark.{theme}`"


def _record(
    settings: Settings, theme: str, tally: _Tally, started: str, exit_code: int, folders: list[Path]
) -> None:
    record = Provenance.of_run(
        settings.root,
        settings.data_file(theme),
        theme=theme,
        status=STATUS_BY_EXIT.get(exit_code, "error"),
        exit_code=exit_code,
        tests=tally.selected,
        outcomes=tally.outcomes,
        started=started,
        revision=Revision.of(settings.root, folders),
    )
    provenance.write(settings.root / settings.provenance_file(theme), record)
