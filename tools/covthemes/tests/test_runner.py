"""`covthemes.runner`: one theme under coverage, with its provenance record.

The end-to-end tests run `python -m covthemes run THEME` in the tiny
repository as a child process, which coverage's `patch = ["subprocess"]`
measures for the tool's own coverage.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from coverage import CoverageData

from covthemes import runner
from covthemes.config import Settings
from covthemes.errors import ConfigError

GAMMA_TESTS = """\
import pytest

import pkg.core


@pytest.fixture
def broken():
    raise RuntimeError("fixture fails")


def test_passes():
    pass


@pytest.mark.skip(reason="skipped at setup")
def test_skipped_at_setup():
    pass


def test_skipped_in_call():
    pytest.skip("skipped in call")


def test_fails():
    assert False


def test_errors(broken):
    pass
"""


def run_theme(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "covthemes", "run", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_path_only_theme_collects_only_its_files(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """A path-only theme hands pytest its files alone, and its record counts every outcome."""
    (repo / "tests" / "gamma" / "test_gamma.py").write_text(GAMMA_TESTS)
    done = run_theme(repo, child_env, "gamma", "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stderr
    assert "collected 5 items" in done.stdout
    assert "deselected" not in done.stdout
    assert "test_alpha" not in done.stdout
    record = json.loads((repo / settings.provenance_file("gamma")).read_text())
    assert record["status"] == "failed"
    assert record["pytest_exit_code"] == 1
    assert record["tests"] == 5
    assert record["outcomes"] == {"passed": 1, "failed": 1, "skipped": 2, "errors": 1}
    data = CoverageData(basename=str(repo / settings.data_file("gamma")))
    data.read()
    assert data.has_arcs()
    assert data.measured_contexts() == {"gamma"}  # imported, never called by gamma's tests


def test_selecting_no_test_is_recorded_and_explained(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """A run that selects nothing exits 5, says how to add tests, and records `no-tests`."""
    done = run_theme(repo, child_env, "alpha", "--", "-k", "nothing_matches", "-p", "no:cacheprovider")
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED
    assert done.stderr.endswith(
        "covthemes: error: theme 'alpha' selected no tests, so it would publish a silent 0%. "
        "Check the arguments after `--`, or mark tests with `pytestmark = pytest.mark.alpha`.\n"
    )
    record = json.loads((repo / settings.provenance_file("alpha")).read_text())
    assert (record["status"], record["tests"]) == ("no-tests", 0)


def test_pytest_args_for_marker_and_path_themes(settings: Settings, repo: Path) -> None:
    """A marker theme runs the configured tests; a path theme adds its files unless paths were given."""
    base = ["--cov", "--cov-context=test", "--cov-report="]
    assert runner.pytest_args(settings, "alpha", ["-x"]) == ["--covthemes-theme", "alpha", *base, "-x"]
    assert runner.pytest_args(settings, "gamma", []) == [
        "--covthemes-theme",
        "gamma",
        *base,
        "tests/gamma/test_gamma.py",
    ]
    named = ["tests/gamma/test_gamma.py::test_gamma"]
    assert runner.pytest_args(settings, "gamma", named) == ["--covthemes-theme", "gamma", *base, *named]


def test_pytest_args_name_the_coverage_config(settings: Settings) -> None:
    """A configured coverage-config is passed to pytest-cov."""
    from dataclasses import replace

    args = runner.pytest_args(replace(settings, coverage_config=Path("cov.ini")), "alpha", [])
    assert "--cov-config=cov.ini" in args


def test_how_to_add_tests_depends_on_how_the_theme_is_chosen(settings: Settings) -> None:
    """A path theme's fix is its globs; a marker theme's is the marker."""
    assert runner._how_to_add(settings, "gamma") == "correct the globs of 'gamma' in [tool.covthemes.paths]"
    assert runner._how_to_add(settings, "beta") == "mark tests with `pytestmark = pytest.mark.beta`"


def test_rejects_unknown_theme(settings: Settings) -> None:
    """An unknown theme names the themes."""
    with pytest.raises(ConfigError, match="unknown theme 'delta': choose one of alpha, beta, gamma"):
        runner.run_theme(settings, "delta", [])


def test_rejects_coverage_context_of_another_theme(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A COVERAGE_CONTEXT left from another theme would mislabel the data."""
    monkeypatch.setenv("COVERAGE_CONTEXT", "beta")
    with pytest.raises(ConfigError) as raised:
        runner.run_theme(settings, "alpha", [])
    assert raised.value.problems == (
        "COVERAGE_CONTEXT is 'beta' but the theme is 'alpha': unset it, or run `covthemes run alpha`",
    )
