"""The phases mode: one switch from the import phase to the tests phase, on each core, in each process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from coverage import Coverage, CoverageData
from helpers import run_theme

from covthemes.run import phases
from covthemes.settings import core
from covthemes.settings.config import Settings

# A module that runs `twice` at import; a test then runs it again, and `later`.
MODULE = """\
def twice(x):
    if x:
        return 1
    return 0


def later():
    return 2


twice(True)
"""
# Line numbers in MODULE.
DEFS, TWICE_BODY, TWICE_ELSE, LATER_BODY, IMPORT_CALL = {1, 7}, {2, 3}, 4, 8, 11

# The cores a run chooses here. (pytrace is chosen only where ctrace is not
# built; started inside this session's ctrace, coverage's pytrace warns
# `trace-changed` when it stops, whatever it measured.)
CORES = [core.CTRACE if core.has_ctracer() else core.PYTRACE]
if sys.version_info >= core.SYSMON_BRANCHES:
    CORES.append(core.SYSMON)


def lines_by_context(data_file: Path, path: str) -> dict[str, set[int]]:
    data = CoverageData(basename=str(data_file))
    data.read()
    found: dict[str, set[int]] = {}
    for line, contexts in data.contexts_by_lineno(path).items():
        for context in contexts:
            found.setdefault(context, set()).add(line)
    return found


@pytest.mark.parametrize("measuring_core", CORES)
def test_each_phase_holds_exactly_what_ran_in_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, measuring_core: str
) -> None:
    """Import lines stay in the static context; a line run at import and again later is in both phases."""
    module = tmp_path / "mod.py"
    module.write_text(MODULE)
    monkeypatch.setenv(core.VARIABLE, measuring_core)
    data_file = tmp_path / "data"
    cov = Coverage(
        data_file=str(data_file), config_file=False, branch=True, context="theme", include=[str(module)]
    )
    cov.start()
    try:
        namespace: dict[str, object] = {}
        exec(compile(module.read_text(), str(module), "exec"), namespace)
        assert phases.to_tests(cov)
        assert namespace["twice"](True) == 1  # type: ignore[operator]
        assert namespace["later"]() == 2  # type: ignore[operator]
    finally:
        cov.stop()
    cov.save()
    found = lines_by_context(data_file, str(module))
    assert found == {"theme": DEFS | TWICE_BODY | {IMPORT_CALL}, "theme|tests": TWICE_BODY | {LATER_BODY}}
    assert TWICE_ELSE not in found["theme|tests"]


def test_without_coverage_there_is_nothing_to_switch() -> None:
    """A run with coverage off (`--no-cov`) has no measuring Coverage: the switch says so and does nothing."""
    assert not phases.to_tests(None)
    assert not phases.to_tests(Coverage())


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_a_phases_run_records_two_contexts_under_warnings_as_errors(
    repo: Path, settings: Settings, child_env: dict[str, str], workers: list[str]
) -> None:
    """`covthemes run` in the phases mode, with `-W error`: the import in `beta`, the test in `beta|tests`."""
    done = run_theme(repo, child_env, "beta", "--", "-p", "no:cacheprovider", "-W", "error", *workers)
    assert done.returncode == 0, done.stdout + done.stderr
    found = lines_by_context(settings.layout.data_file("beta"), "pkg/core.py")
    # pkg/core.py: the three `def` lines run at import; the test runs beta_only's body (line 8).
    assert found == {"beta": {1, 7, 11}, "beta|tests": {8}}, done.stdout[-4000:] + done.stderr[-2000:]


def test_a_tests_run_records_per_test_contexts(
    repo: Path, tests_mode: Settings, child_env: dict[str, str]
) -> None:
    """`contexts = "tests"`: the test's line under its own context, as `--cov-context=test` names it."""
    done = run_theme(repo, child_env, "beta", "--", "-p", "no:cacheprovider", "-W", "error")
    assert done.returncode == 0, done.stdout + done.stderr
    found = lines_by_context(tests_mode.layout.data_file("beta"), "pkg/core.py")
    assert found == {"beta": {1, 7, 11}, "beta|tests/test_beta.py::test_beta|run": {8}}
