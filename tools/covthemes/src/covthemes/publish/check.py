"""Everything `covthemes publish` can judge before it does any work.

The settings were checked when they loaded (`covthemes.settings.config`); here: the
coverage config, the test files no theme selects (`covthemes.settings.unmeasured`),
then each theme's data and provenance (present, finished,
readable, holding its contexts, unchanged since its run, measured under
the coverage config the publish reads, measuring no file that has since
gone), then that every theme was measured in the contexts mode the settings
choose, and on the source checked out here. A theme measured in shards
(`covthemes.settings.shards`) must have every one of them, all cut into the same
number and measured on one revision, and no unsharded data beside them.
Every problem found is reported at once, each with its fix, and nothing is
published.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from coverage import CoverageData
from coverage.exceptions import CoverageException

from covthemes.errors import PublishRefused
from covthemes.model import provenance
from covthemes.model.provenance import Provenance
from covthemes.model.revision import Revision
from covthemes.model.themes import ThemeRun
from covthemes.settings import core, coverage_config, shards, unmeasured
from covthemes.settings.config import Settings
from covthemes.settings.coverage_config import CoverageSettings
from covthemes.settings.layout import Layout
from covthemes.settings.shards import Shard


@dataclass(frozen=True)
class CheckedInputs:
    """What a publish may use: each theme's run and data files, the revision here, the coverage config."""

    runs: dict[str, ThemeRun]
    data_files: dict[str, tuple[Path, ...]]
    revision: Revision
    coverage: CoverageSettings


def check_inputs(
    settings: Settings, *, allow_mixed_revisions: bool, source: Layout | None = None
) -> CheckedInputs:
    """The checked inputs, read from `source` (a snapshot of the data folder; the data folder itself by
    default) and named in messages as they are in the data folder."""
    source = source or settings.layout
    coverage = coverage_config.check(settings)
    problems: list[str] = [p for p in (unmeasured.problem(settings),) if p]
    runs: dict[str, ThemeRun] = {}
    data_files: dict[str, tuple[Path, ...]] = {}
    modes: dict[str, set[str]] = {}
    for theme in settings.themes:
        found, units = _check_theme(settings, coverage, theme, source)
        problems += found
        if not found:
            runs[theme] = ThemeRun.combined([record for _, record in units])
            data_files[theme] = tuple(source.data_file(theme, shard) for shard, _ in units)
            modes[theme] = {record.contexts for _, record in units}
    problems += _mode_problems(settings, modes)
    revision = Revision.of(settings.root, list(coverage.source_folders))
    if not problems and not allow_mixed_revisions:
        problems += _revision_problems(settings, runs, revision)
    if problems:
        raise PublishRefused(*problems)
    return CheckedInputs(runs, data_files, revision, coverage)


Unit = tuple[Shard | None, Provenance]


def _check_theme(
    settings: Settings, coverage: CoverageSettings, theme: str, source: Layout
) -> tuple[list[str], list[Unit]]:
    """The problems of one theme's data, or none and its run records (the theme's, or one per shard)."""
    layout = settings.layout
    found = shards.found(source.data, theme)
    plain = [
        layout.data / p.name for p in (source.data_file(theme), source.provenance_file(theme)) if p.exists()
    ]
    if not found:
        checked = _check_unit(settings, coverage, theme, None, source)
        return ([checked], []) if isinstance(checked, str) else ([], [(None, checked)])
    if plain:
        names = ", ".join(shard.label for shard in found)
        return [
            f"theme {theme!r} mixes unsharded data ({layout.shown(plain[0])}) with shards ({names}): "
            f"delete {layout.shown(layout.data_file(theme))} "
            f"and {layout.shown(layout.provenance_file(theme))} "
            f"to publish the shards, or delete the shards' files to publish `{settings.rerun(theme)}`'s data"
        ], []
    counts = sorted({shard.count for shard in found})
    if len(counts) > 1:
        return [
            f"theme {theme!r} has shards cut into {' and '.join(map(str, counts))} groups: "
            f"measure every shard with one count, `{settings.rerun(theme, Shard(1, counts[-1]))}` "
            f"and the others, and delete the rest"
        ], []
    problems: list[str] = []
    units: list[Unit] = []
    for shard in shards.of_theme(counts[0]):
        checked = _check_unit(settings, coverage, theme, shard, source)
        if isinstance(checked, str):
            problems.append(checked)
        else:
            units.append((shard, checked))
    if not problems and len({r.revision.source_hash for _, r in units}) > 1:
        listing = ", ".join(f"{s.label if s else ''} on {r.revision.short()}" for s, r in units)
        problems.append(
            f"the shards of theme {theme!r} were measured on different revisions ({listing}): "
            f"run them again on one revision, starting with `{settings.rerun(theme, Shard(1, counts[0]))}`"
        )
    return problems, units


def _check_unit(
    settings: Settings, coverage: CoverageSettings, theme: str, shard: Shard | None, source: Layout
) -> str | Provenance:
    """One theme's (or one shard's) data and provenance record: the problem found, or the record."""
    data, sidecar = source.data_file(theme, shard), source.provenance_file(theme, shard)
    layout = settings.layout
    fix = f"run `{settings.rerun(theme, shard)}`"
    shown_data = layout.shown(layout.data_file(theme, shard))
    shown_sidecar = layout.shown(layout.provenance_file(theme, shard))
    unit = f"theme {theme!r}" + (f" shard {shard.label}" if shard else "")
    try:
        record = provenance.read(sidecar, theme)
    except ValueError as exc:
        return f"{unit}: {str(exc).replace(str(sidecar), shown_sidecar)}: {fix}"
    if not (data).exists():
        what = f"shard {shard.label} of theme {theme!r}" if shard else f"theme {theme!r}"
        return f"missing coverage data for {what} ({shown_data}): {fix} first"
    if record is None:
        return (
            f"{unit}: {shown_data} has no provenance record ({shown_sidecar}), so its origin is "
            f"unknown: {fix}"
        )
    if record.status == "no-tests" or (record.finished and record.tests == 0):
        return f"{unit} selected no tests in its last run; {fix} without a selection that excludes every test"
    if not record.finished:
        return f"{unit} did not finish its last run (pytest exit {record.pytest_exit_code}): {fix}"
    unusable = _unusable(data)
    if unusable:
        return f"{shown_data} is not usable coverage data ({unusable}): {fix}"
    if record.coverage_config_sha256 not in (None, coverage.config_sha256):
        return (
            f"{unit} was measured under another coverage config than this publish reads (they differ in "
            f"what they measure: source, include, omit, branch or plugins; COVERAGE_RCFILE set for one and "
            f"not the other, say): {fix} with the coverage config the publish reads"
        )
    gone = _gone(settings.root, data)
    if gone:
        return (
            f"{shown_data} measured {gone}, which is no longer in the repository (deleted or renamed "
            f"since the run), so no report can show it: {fix}"
        )
    # With a core that records per-test contexts, a theme whose tests ran none
    # of the measured code has none, rightly; otherwise they were dropped.
    # (Every core records the phases mode's one switch.)
    if (
        record.contexts == core.TESTS
        and record.coverage_core not in core.RECORDS_TESTS
        and not _has_test_contexts(data)
    ):
        return (
            f"{unit} ran {record.tests} test(s), but {shown_data} holds no per-test context and its "
            f"run names no core that records them (core: {record.coverage_core}): it was measured with "
            f"coverage's sysmon core, which drops them, or without `--cov-context=test`: {fix}"
        )
    if record.data_sha256 not in (None, provenance.file_sha256(data)):
        return f"{shown_data} was changed after its run recorded it in {shown_sidecar}: {fix}"
    return record


def _unusable(path: Path) -> str | None:
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


def _gone(root: Path, path: Path) -> str | None:
    """The first file the data measured that is not there any more, or None."""
    data = CoverageData(basename=str(path))
    try:
        data.read()
        return next((name for name in sorted(data.measured_files()) if not (root / name).exists()), None)
    finally:
        data.close()


def _has_test_contexts(path: Path) -> bool:
    """True when some line of the data was run by a test: a context `<theme>|<test>|<phase>`."""
    data = CoverageData(basename=str(path))
    try:
        data.read()
        return any("|" in context for context in data.measured_contexts())
    finally:
        data.close()


def _mode_problems(settings: Settings, modes: dict[str, set[str]]) -> list[str]:
    """One line when themes (or shards) were measured in another contexts mode than the settings say."""
    other = {theme: sorted(found - {settings.contexts}) for theme, found in modes.items()}
    listing = ", ".join(f"{theme!r} ({' and '.join(found)})" for theme, found in other.items() if found)
    if not listing:
        return []
    first = next(theme for theme, found in other.items() if found)
    return [
        f'[tool.covthemes] contexts is "{settings.contexts}", but themes were measured in another mode: '
        f"{listing}; the modes' data cannot be merged into one report: measure them again, starting with "
        f"`{settings.rerun(first)}`"
    ]


def _revision_problems(settings: Settings, runs: dict[str, ThemeRun], current: Revision) -> list[str]:
    stale = [theme for theme, run in runs.items() if run.revision.source_hash != current.source_hash]
    if not stale:
        return []
    lines = [
        f"theme {theme!r} was measured on another revision "
        f"({runs[theme].revision.short()}; "
        f"this checkout has source {current.source_hash[:12]}): run `{settings.rerun(theme)}`"
        for theme in stale
    ]
    lines.append(
        "to publish data from different revisions anyway, pass "
        "--allow-mixed-revisions (or set COVTHEMES_ALLOW_MIXED_REVISIONS=1)"
    )
    return lines
