"""Fixtures: the tiny themed repository, its settings, clean environments, a hand-counted report.

Everything they are built from is in `helpers.py` (registered for pytest's
assertion rewriting), which the test modules import directly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from covthemes.model.lines import LineListing
from covthemes.model.percent import Numbers
from covthemes.model.provenance import Outcomes, Provenance
from covthemes.model.revision import Revision
from covthemes.model.themes import Packages, ThemeRun, ThemesReport
from covthemes.publish import build
from covthemes.publish.build import Measured
from covthemes.settings import config
from covthemes.settings.config import Settings

# Before the import: assertions in the helpers are rewritten as in the tests.
pytest.register_assert_rewrite("helpers")
from helpers import (
    COVTHEMES_TABLE,
    HOSTILE_FOLDER,
    HOSTILE_PATH,
    KEEP,
    MEASURE_NESTED,
    MERGED_REPORT,
    THEME_REPORTS,
    make_repo,
    write_pyproject,
)

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No inherited setting of coverage's or covthemes' reaches a test; os.environ is restored after.

    git stops looking for a repository at pytest's base temporary folder: the
    temporary repositories would otherwise find the checkout they sit in.
    """
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path_factory.getbasetemp()))
    for name in list(os.environ):
        if name.startswith("COVTHEMES_") or name in ("COVERAGE_CONTEXT", "COVERAGE_RCFILE"):
            monkeypatch.delenv(name)


@pytest.fixture
def child_env() -> dict[str, str]:
    """os.environ for a child python/pytest/coverage, without this session's COVERAGE_* and COV_CORE_*."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name in KEEP or not name.startswith(("COVERAGE_", "COV_CORE_"))
    }
    if any(name in os.environ for name in KEEP):
        env[MEASURE_NESTED[0]] = MEASURE_NESTED[1]
    return env


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny themed repository, as the working folder (coverage reads its config from there)."""
    root = make_repo(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def settings(repo: Path) -> Settings:
    """The tiny repository's loaded settings."""
    return config.load(repo)


@pytest.fixture
def tests_mode(repo: Path) -> Settings:
    """The tiny repository's settings, measuring per-test contexts (`contexts = "tests"`)."""
    write_pyproject(
        repo, COVTHEMES_TABLE.replace("[tool.covthemes]\n", '[tool.covthemes]\ncontexts = "tests"\n', 1)
    )
    return config.load(repo)


@pytest.fixture
def provenance_record() -> Callable[..., Provenance]:
    """A factory of provenance records: a passed run of one test, with fields changed by keyword."""

    def make(theme: str, **changes: Any) -> Provenance:
        record = Provenance(
            theme=theme,
            status="passed",
            pytest_exit_code=0,
            tests=1,
            outcomes=Outcomes(passed=1),
            revision=Revision(None, "0" * 64),
            python="3.11.7",
            python_implementation="CPython",
            coverage_version="7.17.3",
            coverage_core="default",
            started="2026-11-26T10:00:00Z",
            ended="2026-11-26T10:00:01Z",
            data_file=f"coverage/data/.coverage.{theme}",
            data_sha256=None,
            contexts="phases",
        )
        return replace(record, **changes)

    return make


@pytest.fixture
def theme_settings(tmp_path: Path) -> Settings:
    """Two themes with a threshold each and one for the total."""
    return Settings(
        root=tmp_path,
        themes=("alpha", "beta"),
        marker_themes=("alpha", "beta"),
        thresholds={"alpha": 35, "beta": 75, "total": 80},
        run_command="tox -e cov-{theme}",
        publish_command="tox -e cov-combine",
    )


@pytest.fixture
def themed_summary(theme_settings: Settings, provenance_record: Callable[..., Provenance]) -> ThemesReport:
    """A summary of alpha (passed, 60%) and beta (failed, 40%), 70% together, at precision 1.

    alpha: 5/8 lines (2 only at import), 1/2 branches, 3 tests; beta: 4/8
    lines (3 only at import), 0/2 branches, 2 tests. By their tests: alpha
    3/8 lines and 1/2 branches, 40%; beta 1/8 lines and no branch, 10%.
    """
    return _summary(theme_settings, provenance_record, "pkg/core.py", "pkg")


@pytest.fixture
def hostile_summary(theme_settings: Settings, provenance_record: Callable[..., Provenance]) -> ThemesReport:
    """`themed_summary` with pkg/core.py named HOSTILE_PATH and the package pkg named HOSTILE_FOLDER."""
    return _summary(theme_settings, provenance_record, HOSTILE_PATH, HOSTILE_FOLDER)


def _summary(
    settings: Settings, provenance_record: Callable[..., Provenance], core: str, package: str
) -> ThemesReport:
    def named(value: Any) -> Any:
        return json.loads(json.dumps(value).replace('"pkg/core.py"', json.dumps(core)))

    listing = LineListing(
        files={},
        only_this_theme=named({"alpha": {"pkg/core.py": [2, 3]}, "beta": {"pkg/core.py": [8]}}),
        import_only=named({"alpha": {"pkg/core.py": [1, 7]}, "beta": {"pkg/core.py": [1, 7, 11]}}),
        blind_spots=named({"pkg/core.py": [4, 12]}),
    )
    records = {
        "alpha": provenance_record("alpha", tests=3),
        "beta": provenance_record("beta", status="failed", pytest_exit_code=1, tests=2),
    }
    measured = Measured(
        revision=Revision("abc123", "f" * 64),
        runs={name: ThemeRun.combined([record]) for name, record in records.items()},
        packages=Packages.of([Path(package), Path("pkg/sub"), Path("lib")]),
        merged_report=named(MERGED_REPORT),
        theme_reports=named(THEME_REPORTS),
        listing=listing,
        precision=1,
        by_tests={
            "alpha": {core: Numbers(8, 3, 2, 1)},
            "beta": {core: Numbers(8, 1, 2, 0)},
        },
    )
    return build.themes_report(settings, measured)
