"""Building the summary from what a publish measured, and the verdict once it is published.

The numbers come from the reports `covthemes.publish.reports` built: each theme's own
JSON report for its covered counts, over the statements and branches of the
merged report; each theme's *by its tests* counts are per file, from
`covthemes.publish.by_tests`; the line counts come from the line listing
(`covthemes.model.lines`). The typed result is `covthemes.model.themes.ThemesReport`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from covthemes.model.lines import LineListing
from covthemes.model.percent import Numbers, Threshold
from covthemes.model.provenance import now
from covthemes.model.revision import Revision
from covthemes.model.themes import Counts, Figures, Packages, ThemeResult, ThemeRun, ThemesReport
from covthemes.settings.config import ALL_THEMES, ALL_THEMES_LABEL, Settings

CoverageJson = Mapping[str, Any]


@dataclass(frozen=True)
class Measured:
    """Everything a summary is built from: the runs, the revision and the reports of one publish."""

    revision: Revision
    runs: Mapping[str, ThemeRun]
    packages: Packages
    merged_report: CoverageJson
    theme_reports: Mapping[str, CoverageJson]
    listing: LineListing
    precision: int
    # Per theme and file, what its tests ran (`covthemes.publish.by_tests`).
    by_tests: Mapping[str, Mapping[str, Numbers]]


def scope_of(merged_report: CoverageJson) -> dict[str, Numbers]:
    """Every file in scope, with its statements and branches and nothing covered."""
    return {
        path: Numbers(entry["summary"]["num_statements"], 0, entry["summary"].get("num_branches", 0), 0)
        for path, entry in merged_report["files"].items()
    }


def coverage_of(
    report: CoverageJson, scope: Mapping[str, Numbers], packages: Packages, precision: int
) -> Figures:
    """`report`'s covered counts over the statements and branches of `scope`, at `precision`."""
    covered = {}
    for path in scope:
        summary = report["files"].get(path, {}).get("summary", {})
        covered[path] = Numbers(0, summary.get("covered_lines", 0), 0, summary.get("covered_branches", 0))
    return figures_of(covered, scope, packages, precision)


def figures_of(
    covered: Mapping[str, Numbers], scope: Mapping[str, Numbers], packages: Packages, precision: int
) -> Figures:
    """The covered counts of `covered` per file over the statements and branches of `scope`, summed."""
    empty = Numbers(precision=precision)
    files: dict[str, Numbers] = {}
    per_package = dict.fromkeys(packages.names, empty)
    for path, sizes in scope.items():
        ran = covered.get(path, empty)
        row = files[path] = Numbers(
            sizes.num_statements, ran.covered_lines, sizes.num_branches, ran.covered_branches, precision
        )
        name = packages.of_file(path)
        per_package[name] = per_package.get(name, empty) + row
    return Figures(sum(per_package.values(), empty), per_package, files)


def themes_report(settings: Settings, measured: Measured) -> ThemesReport:
    scope = scope_of(measured.merged_report)
    packages, listing, precision = measured.packages, measured.listing, measured.precision
    themes = {}
    for theme in settings.themes:
        coverage = coverage_of(measured.theme_reports[theme], scope, packages, precision)
        tested = figures_of(measured.by_tests[theme], scope, packages, precision)
        themes[theme] = ThemeResult(
            run=measured.runs[theme],
            coverage=coverage,
            only_this_theme=Counts.of(listing.only_this_theme[theme], packages),
            import_only_lines=Counts.of(listing.import_only[theme], packages),
            # Judged on the figure it sits next to: the theme's headline, by its tests.
            threshold=Threshold.judge(settings.thresholds.get(theme), tested.total),
            by_tests=tested,
        )
    total = coverage_of(measured.merged_report, scope, packages, precision)
    return ThemesReport(
        generated=now(),
        revision=measured.revision,
        precision=precision,
        themes=themes,
        all_themes=total,
        threshold=Threshold.judge(settings.thresholds.get(ALL_THEMES), total.total),
        blind_spots=Counts.of(listing.blind_spots, packages),
    )


def verdict(summary: ThemesReport, settings: Settings, *, enforce_thresholds: bool) -> list[str]:
    """Reasons to exit non-zero once the report is published."""
    reasons = [
        f"theme {name!r} has failing tests (its report is published, marked failed): "
        f"fix them and run `{settings.rerun(name)}` then `{settings.publish_command}`"
        for name in summary.failed_themes
    ]
    if enforce_thresholds:
        checks = [
            (f"theme {name!r}", t.threshold, t.by_tests.total, " by its tests")
            for name, t in summary.themes.items()
        ]
        checks.append((ALL_THEMES_LABEL, summary.threshold, summary.all_themes.total, ""))
        for name, threshold, numbers, how in checks:
            if threshold and not threshold.met:
                reasons.append(
                    f"{name} covers {numbers.display_covered()}%{how}, below its threshold "
                    f"of {threshold.min_percent:g}% in [tool.covthemes.thresholds]"
                )
    return reasons
