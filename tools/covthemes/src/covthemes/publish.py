"""`covthemes publish`: merge the themes' data and publish the report, all or nothing.

The steps, each of which can fail without touching the published report:
check the inputs, build the reports in a staging folder, compute the summary,
swap the staged outputs into place, then judge. Judging comes after the swap,
so a failing theme or a missed threshold still leaves its report to read.
One publish at a time holds the checkout's publish lock; a second one waits.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass

from covthemes import badges, faults, html_index, lock, markdown, reports, summary, swap
from covthemes.check import check_inputs
from covthemes.config import Settings
from covthemes.summary import Packages, Summary

Step = Callable[[str], None]


@dataclass(frozen=True)
class Published:
    summary: Summary
    reasons: list[str]


def _write_summaries(staged: reports.StagedReports, result: Summary, on_step: Step) -> None:
    """themes.json, lines.json, summary.md, then the themed index and the badges, into staging."""
    folder = staged.folder
    (folder / "themes.json").write_text(json.dumps(result.to_json(), indent=2) + "\n")
    (folder / "lines.json").write_text(json.dumps(staged.listing.to_json(), indent=1) + "\n")
    (folder / "summary.md").write_text(markdown.render(result))
    on_step("index")
    themed = {**staged.themes, "total": staged.merged}
    (folder / "index.html").write_text(html_index.render(result, themed, staged.title), encoding="utf-8")
    badges.write(result, folder / badges.FOLDER)


def _no_step(name: str) -> None:
    """The default step callback: nothing to record."""


def publish(
    settings: Settings,
    *,
    allow_mixed_revisions: bool = False,
    enforce_thresholds: bool = False,
    on_step: Step = _no_step,
) -> Published:
    """Publish the report; `on_step(name)` is called as each step begins.

    The steps are "check", "combine", "reports", "pages", "workers",
    "summary", "index", "swap" and, once the report is in place, "done"
    (`covthemes.reports.stage` describes the middle ones).
    """
    published = settings.root / settings.output
    with lock.held(published / ".publish.lock", "the publish lock"):
        if swap.recover(published):
            print("covthemes: rolled back a publish that was interrupted during its swap")
        on_step("check")
        inputs = check_inputs(settings, allow_mixed_revisions=allow_mixed_revisions)
        faults.inject("check")
        try:
            staged = reports.stage(settings, on_step)
            on_step("summary")
            faults.inject("summary")
            result = summary.build(
                settings,
                inputs.revision,
                inputs.records,
                Packages.of(inputs.source_folders),
                staged.merged,
                staged.themes,
                staged.listing,
                staged.precision,
            )
            _write_summaries(staged, result, on_step)
        except BaseException:
            reports.clear_staging(settings)
            raise
        on_step("swap")
        swap.swap_in(published, staged.folder, halfway=lambda: faults.inject("swap"))
        on_step("done")
    sys.stdout.flush()
    return Published(result, summary.verdict(result, settings, enforce_thresholds=enforce_thresholds))
