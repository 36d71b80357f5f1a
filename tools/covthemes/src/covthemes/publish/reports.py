"""Build coverage's reports into a new generation: the merged HTML and JSON, and each theme's own.

The theme data files are inputs and are never consumed: every combine keeps
them. Reports are made through coverage's API (`Coverage.load`, `combine`
and the `*_report` methods): the command-line report commands combine and
delete every `.coverage.*` file next to their data file, which would eat the
theme data. The independent reports run in worker processes, one per core.
The summary is made from what this returns (`covthemes.publish.build`); the
rest of the published files are the writers' (`covthemes.publish.writers`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coverage import Coverage

from covthemes.model.freshness import file_sha256
from covthemes.model.lines import LineListing
from covthemes.publish import baseline, by_tests
from covthemes.settings.config import Settings
from covthemes.settings.coverage_config import CoverageSettings, open_coverage
from covthemes.settings.layout import COMBINED, COMBINED_THEME, Layout, coverage_page

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
# The steps of `stage`, in order.
STEPS = ("combine", "html", "themes", "json", "workers")

Contexts = dict[str, dict[int, list[str]]]


@dataclass(frozen=True)
class CoverageReports:
    """What the staging step built, and the reports the summary is computed from."""

    folder: Path
    merged: dict[str, Any]
    themes: dict[str, dict[str, Any]]
    listing: LineListing
    by_tests: by_tests.ByTests


def stage(
    settings: Settings,
    data_files: Mapping[str, Sequence[Path]],
    cov: CoverageSettings,
    step: Callable[[str], None],
    generation: Layout,
    work: Path,
) -> CoverageReports:
    """Combine the themes in `work` and write coverage's reports into the new `generation`.

    `data_files` holds each theme's data: one file, or one per shard. The
    combined data files in `work` are named `all` and `theme-<theme>`, so no
    theme's name can meet another's.

    `step` is called as each of STEPS begins: "combine"; "html" and "themes",
    as worker processes start on coverage's HTML and on each theme's reports;
    "json" (the merged JSON, baseline.json and the line listing, made here
    meanwhile); "workers" (waiting for the workers to finish).
    """
    generation.theme_reports.mkdir(parents=True)
    step("combine")
    merged = open_coverage(settings, work / COMBINED)
    merged.combine([str(f) for t in settings.themes for f in data_files[t]], strict=True, keep=True)
    merged.load()
    for theme in settings.themes:
        own = open_coverage(settings, work / f"{COMBINED_THEME}{theme}")
        own.combine([str(f) for f in data_files[theme]], strict=True, keep=True)

    workers = max(1, min(1 + len(settings.themes), os.cpu_count() or 1))
    context = multiprocessing.get_context("spawn")
    # Imported here: the pool is the only part that needs it.
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        step("html")
        pending = [pool.submit(_report, settings, generation, work, None)]
        step("themes")
        pending += [pool.submit(_report, settings, generation, work, theme) for theme in settings.themes]
        # Meanwhile, here: the merged JSON report, which both the summary and
        # baseline.json start from.
        step("json")
        merged_path = work / f"{COMBINED}.json"
        merged.json_report(outfile=str(merged_path), show_contexts=False)
        merged_report: dict[str, Any] = json.loads(merged_path.read_text())
        contexts = _contexts(merged, merged_report)
        baseline.write(
            cov,
            settings.baseline_contexts,
            settings.contexts,
            merged_report,
            contexts,
            generation.baseline_json,
        )
        # Each measured file's source as this publish read it, which `covthemes diff`
        # checks the checkout against.
        measured = {path: file_sha256(settings.root / path) or "" for path in merged_report["files"]}
        listing = LineListing.of(merged_report, contexts, settings.themes, measured)
        share_parses(merged)
        tested = by_tests.count(merged, merged_report["files"], settings.themes)
        step("workers")
        for future in pending:
            future.result()

    themes = {t: json.loads(generation.theme_report(t, "json").read_text()) for t in settings.themes}
    return CoverageReports(generation.folder, merged_report, themes, listing, tested)


def share_parses(*covs: Coverage) -> None:
    """Let the reports of `covs` share one parse of each source file.

    Every coverage report asks `Coverage._get_file_reporter` for a fresh file
    reporter, which parses the file's source again: the three reports of a
    theme parsed every file three times, about 60% of their time. A file
    reporter depends on the file and the coverage config only, and `covs`
    share one config, so each file's first reporter serves all three. This
    reaches into coverage's private `_get_file_reporter`; a coverage without
    it reports as before, only slower.
    """
    first = getattr(covs[0], "_get_file_reporter", None)
    if not callable(first):
        return
    reporters: dict[object, Any] = {}

    def shared(morf: Any) -> Any:
        key = morf if isinstance(morf, str) else id(morf)
        if key not in reporters:
            reporters[key] = first(morf)
        return reporters[key]

    for cov in covs:
        cov._get_file_reporter = shared  # type: ignore[method-assign]


def _contexts(merged: Coverage, report: dict[str, Any]) -> Contexts:
    """Each reported file's line-to-contexts map, read once from the merged data."""
    data = merged.get_data()
    data.set_query_contexts(None)
    measured = set(data.measured_files())
    contexts: Contexts = {}
    for name in report["files"]:
        if name not in measured:
            raise RuntimeError(
                f"JSON report names {name!r}, which is not a measured file; covthemes checks "
                "`relative_files = True` before it starts, so this is a bug"
            )
        contexts[name] = data.contexts_by_lineno(name)
    return contexts


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the publish process `parent` dies, however it dies.

    On Linux the kernel sends SIGKILL when the parent dies; a parent that died
    before that was set (while this worker was still starting) is seen here,
    as a new parent, and the worker ends at once.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def _with_coverage_pages(merged: Coverage) -> list[str] | None:
    """The measured files coverage can write a page for, or None (all of them) when that is every one.

    coverage's HTML report fails as a whole on one file whose page name is too
    long for the file system; such a file is left out of it, and its themed
    page says so instead of linking there (`covthemes.render.pages`).
    """
    measured = merged.get_data().measured_files()
    fit = sorted(f for f in measured if coverage_page(f) is not None)
    return None if len(fit) == len(measured) else fit


def _report(settings: Settings, generation: Layout, work: Path, theme: str | None) -> None:
    """coverage's HTML (`theme` None) or one theme's reports, run in a worker process (see `stage`)."""
    if theme is None:
        merged = open_coverage(settings, work / COMBINED)
        merged.load()
        merged.html_report(morfs=_with_coverage_pages(merged), directory=str(generation.coverage_html))
        return
    own = open_coverage(settings, work / f"{COMBINED_THEME}{theme}")
    own.load()
    # Cobertura names files relative to their `source` folder, so two sources
    # with an `__init__.py` each would collide and one would be dropped;
    # relative to the root, every name is unique.
    rooted = open_coverage(settings, work / f"{COMBINED_THEME}{theme}", source=["."])
    rooted.load()
    share_parses(own, rooted)
    # Without contexts: they are all this theme's, and baseline.json has them.
    own.json_report(outfile=str(generation.theme_report(theme, "json")), show_contexts=False)
    own.lcov_report(outfile=str(generation.theme_report(theme, "lcov")))
    rooted.xml_report(outfile=str(generation.theme_report(theme, "xml")))
