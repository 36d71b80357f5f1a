"""`covthemes publish`: merge the themes' data and publish the report, all or nothing.

The steps, each of which can fail without touching the published report:
check the inputs, build coverage's reports in a staging folder, compute the
summary, run each writer into the staging folder, swap the staged outputs
into place, then judge. Judging comes after the swap, so a failing theme or a
missed threshold still leaves its report to read. One publish at a time holds
the checkout's publish lock; a second one waits. A history given with
`history=` is read first, before any of that: a broken one refuses the
publish, a missing one is a history with no entries yet.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from covthemes import lock
from covthemes.model import history as history_file
from covthemes.model.themes import Packages, ThemesReport
from covthemes.publish import build, reports, swap, writers
from covthemes.publish.check import check_inputs
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
    with lock.held(output.publish_lock, "the publish lock"):
        if swap.recover(output):
            print("covthemes: rolled back a publish that was interrupted during its swap")
        step("check")
        inputs = check_inputs(settings, allow_mixed_revisions=allow_mixed_revisions)
        try:
            staged = reports.stage(settings, inputs.data_files, inputs.coverage, step)
            step("summary")
            measured = build.Measured(
                revision=inputs.revision,
                runs=inputs.runs,
                packages=Packages.of(inputs.coverage.source_folders),
                merged_report=staged.merged,
                theme_reports=staged.themes,
                listing=staged.listing,
                precision=inputs.coverage.precision,
            )
            result = build.themes_report(settings, measured)
            given = writers.WriterInput(
                settings, result, staged.listing, inputs.coverage.html_title, recorded
            )
            for writer in writers.WRITERS:
                step(writer.name)
                writer.write(Layout(staged.folder), given)
        except BaseException:
            reports.clear_staging(settings)
            raise
        step("swap")
        swap.swap_in(output, Layout(staged.folder), midway=lambda: step.midway("swap"))
        step("done")
    sys.stdout.flush()
    return PublishResult(result, build.verdict(result, settings, enforce_thresholds=enforce_thresholds))
