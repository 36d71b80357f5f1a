"""Everything `covthemes publish` can judge before it does any work.

The settings were checked when they loaded (`covthemes.config`); here: the
coverage config, then each theme's data and provenance (present, finished,
readable, unchanged since its run), then that every theme measured the
source checked out here. Every problem found is reported at once, each with
its fix, and nothing is published.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from coverage import CoverageData
from coverage.exceptions import CoverageException

from covthemes import coverage_config, provenance
from covthemes.config import Settings
from covthemes.coverage_config import CoverageSettings
from covthemes.errors import PublishRefused
from covthemes.provenance import Provenance, Revision


@dataclass(frozen=True)
class CheckedInputs:
    """The inputs a publish may use: each theme's run record, the revision here, the coverage config."""

    records: dict[str, Provenance]
    revision: Revision
    coverage: CoverageSettings


def check_inputs(settings: Settings, *, allow_mixed_revisions: bool) -> CheckedInputs:
    coverage = coverage_config.check(settings)
    problems: list[str] = []
    records: dict[str, Provenance] = {}
    for theme in settings.themes:
        problem, record = _check_theme(settings, theme)
        if problem:
            problems.append(problem)
        elif record:
            records[theme] = record
    revision = Revision.of(settings.root, list(coverage.source_folders))
    if not problems and not allow_mixed_revisions:
        problems += _revision_problems(settings, records, revision)
    if problems:
        raise PublishRefused(*problems)
    return CheckedInputs(records, revision, coverage)


def _check_theme(settings: Settings, theme: str) -> tuple[str | None, Provenance | None]:
    data, sidecar = settings.data_file(theme), settings.provenance_file(theme)
    fix = f"run `{settings.rerun(theme)}`"
    try:
        record = provenance.read(settings.root / sidecar, theme)
    except ValueError as exc:
        return f"theme {theme!r}: {exc}: {fix}", None
    if not (settings.root / data).exists():
        return f"missing coverage data for theme {theme!r} ({data}): {fix} first", None
    if record is None:
        return (
            f"theme {theme!r}: {data} has no provenance record ({sidecar}), so its origin is unknown: {fix}",
            None,
        )
    if record.status == "no-tests":
        return (
            f"theme {theme!r} selected no tests in its last run; "
            f"{fix} without a selection that excludes every test",
            None,
        )
    if not record.finished:
        return (
            f"theme {theme!r} did not finish its last run (pytest exit {record.pytest_exit_code}): {fix}",
            None,
        )
    unusable = _unreadable(settings.root / data)
    if unusable:
        return f"{data} is not usable coverage data ({unusable}): {fix}", None
    if record.data_sha256 not in (None, provenance.file_sha256(settings.root / data)):
        return f"{data} was changed after its run recorded it in {sidecar}: {fix}", None
    return None, record


def _unreadable(path: Path) -> str | None:
    data = CoverageData(basename=str(path))
    try:
        data.read()
        data.measured_files()
        if not data.has_arcs():
            return "it has no branch data, and the coverage config measures branches"
    except (CoverageException, sqlite3.Error) as exc:
        return str(exc).splitlines()[0]
    finally:
        data.close()
    return None


def _revision_problems(settings: Settings, records: dict[str, Provenance], current: Revision) -> list[str]:
    stale = [theme for theme, record in records.items() if record.source_hash != current.source_hash]
    if not stale:
        return []
    lines = [
        f"theme {theme!r} was measured on another revision ({records[theme].revision.short()}; "
        f"this checkout has source {current.source_hash[:12]}): run `{settings.rerun(theme)}`"
        for theme in stale
    ]
    lines.append(
        "to publish data from different revisions anyway, pass "
        "--allow-mixed-revisions (or set COVTHEMES_ALLOW_MIXED_REVISIONS=1)"
    )
    return lines
