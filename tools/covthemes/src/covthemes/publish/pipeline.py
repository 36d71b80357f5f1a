"""`covthemes publish`: merge the themes' data and publish the report, all or nothing.

Under the checkout's publish lock (a second publish waits): clear what
earlier publishes left, take a snapshot of the theme data, check it, build
coverage's reports and the writers' outputs into a new generation, then
publish that generation with one rename (`covthemes.publish.swap`), and
judge. Until that rename the published report is untouched, whatever fails;
after it, the new report is whole. Judging comes after, so a failing theme
or a missed threshold still leaves its report to read. A history given with
`history=` is read first: a broken one refuses the publish, a missing one is
a history with no entries yet.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from covthemes import lock
from covthemes.errors import PublishRefused
from covthemes.model import history as history_file
from covthemes.model.themes import Packages, ThemesReport
from covthemes.publish import build, reports, snapshot, swap, writers
from covthemes.publish.check import check_inputs
from covthemes.publish.fsops import FileOps
from covthemes.publish.steps import Hook, no_step
from covthemes.settings.config import Settings
from covthemes.settings.layout import Layout


@dataclass(frozen=True)
class PublishResult:
    summary: ThemesReport
    reasons: list[str]


def publish(
    settings: Settings,
    *,
    allow_mixed_revisions: bool = False,
    enforce_thresholds: bool = False,
    on_step: Callable[[str], None] = no_step,
    history: Path | None = None,
) -> PublishResult:
    """Publish the report; `on_step(name)` is called as each of `covthemes.publish.steps.STEPS` begins.

    With `history`, a `history.json`, the index draws its trend chart.
    """
    recorded = history_file.read(history) if history is not None else None
    output = settings.layout
    step = Hook(on_step)
    ops = FileOps()
    with lock.held(output.publish_lock, "the publish lock"):
        had_report = swap.current(output) is not None
        try:
            swap.clean(output, ops)
            if swap.claim(output, ops):
                moved = output.shown(output.generations)
                print(f"covthemes: moved the report an earlier covthemes published into {moved}/")
            step("check")
            work = output.staging(os.getpid())
            inputs = check_inputs(
                settings,
                allow_mixed_revisions=allow_mixed_revisions,
                source=snapshot.take(settings, work / "inputs"),
            )
        except (PublishRefused, OSError) as exc:
            raise _refusal(output, exc, had_report) from None
        generation = Layout(swap.new_generation(output))
        try:
            staged = reports.stage(settings, inputs.data_files, inputs.coverage, step, generation, work)
            step("summary")
            measured = build.Measured(
                revision=inputs.revision,
                runs=inputs.runs,
                packages=Packages.of(inputs.coverage.source_folders),
                merged_report=staged.merged,
                theme_reports=staged.themes,
                listing=staged.listing,
                by_tests=staged.by_tests,
                precision=inputs.coverage.precision,
            )
            result = build.themes_report(settings, measured)
            given = writers.WriterInput(
                settings, result, staged.listing, inputs.coverage.html_title, recorded
            )
            for writer in writers.WRITERS:
                step(writer.name)
                writer.write(generation, given)
            step("swap")
            swap.swap_in(output, generation, ops, midway=lambda: step.midway("swap"))
        except BaseException as exc:
            if swap.current(output) == generation.folder:
                raise
            swap.discard(output, generation)
            shutil.rmtree(work, ignore_errors=True)
            if isinstance(exc, OSError):
                raise _refusal(output, exc, had_report) from None
            _say_unchanged(had_report)
            raise
        step("done")
        try:
            swap.clean(output, ops)
        except OSError as exc:
            print(
                f"covthemes: could not delete {exc.filename or 'an earlier report'} ({exc.strerror}); "
                "the report is published, and the next publish deletes it",
                file=sys.stderr,
            )
    sys.stdout.flush()
    return PublishResult(result, build.verdict(result, settings, enforce_thresholds=enforce_thresholds))


def _refusal(output: Layout, exc: PublishRefused | OSError, had_report: bool) -> PublishRefused:
    """Why nothing was published, saying whether there is a previous report, which is then unchanged."""
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        problems: tuple[str, ...] = (
            f"could not write{where} ({exc.strerror or exc}): free space on its disk or give covthemes "
            f"write access to {output.shown(output.folder)}, then publish again",
        )
    else:
        problems = exc.problems
    return PublishRefused(*problems, had_report=had_report)


def _say_unchanged(had_report: bool) -> None:
    if had_report:
        print("covthemes: nothing was published; the previous report is unchanged", file=sys.stderr)
