"""`summary.md`: the theme table a person reads at a glance, and CI's job summary.

Percentages are shown at coverage's `[report] precision`, the precision the
thresholds are judged at (`covthemes.model.percent`).
"""

from __future__ import annotations

from covthemes.model.percent import Threshold, display_percent, percent
from covthemes.model.themes import ThemeResult, ThemesReport
from covthemes.settings.config import ALL_THEMES_LABEL


def render(summary: ThemesReport) -> str:
    packages = list(summary.all_themes.packages)
    lines = [
        "# Themed coverage",
        "",
        f"Revision `{summary.revision.git or 'no git'}`, "
        f"source hash `{summary.revision.source_hash[:12]}`, "
        f"published {summary.generated}.",
        "",
        "| Theme | Status | Tests | Lines | By its tests | Branches | Cover "
        "| Only this theme | Import only | Threshold |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, theme in summary.themes.items():
        total = theme.coverage.total
        lines.append(
            f"| {name} | {theme.status} | {theme.run.tests} "
            f"| {total.covered_lines}/{total.num_statements} "
            f"| {theme.tested_lines()}/{total.num_statements} "
            f"| {total.covered_branches}/{total.num_branches} "
            f"| {total.display_covered()}% | {theme.only_this_theme.total} "
            f"| {theme.import_only_lines.total} | {_threshold_cell(theme.threshold)} |"
        )
    merged = summary.all_themes.total
    lines.append(
        f"| **{ALL_THEMES_LABEL}** | {summary.status} | {summary.tests} "
        f"| {merged.covered_lines}/{merged.num_statements} | "
        f"| {merged.covered_branches}/{merged.num_branches} "
        f"| {merged.display_covered()}% | | | {_threshold_cell(summary.threshold)} |"
    )
    lines += [
        "",
        "## By package (cover %, and statements covered by the theme's tests)",
        "",
        "| Theme | " + " | ".join(f"`{p}`" for p in packages) + " |",
        "|---|" + "---:|" * len(packages),
    ]
    for name, theme in summary.themes.items():
        cells = [_package_cell(theme, p) for p in packages]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    cells = [f"{summary.all_themes.packages[p].display_covered()}%" for p in packages]
    lines.append(f"| **{ALL_THEMES_LABEL}** | " + " | ".join(cells) + " |")
    uncovered = summary.blind_spots
    lines += [
        "",
        f"**No theme covers {uncovered.total} statement(s)**: "
        + ", ".join(f"`{p}` {n}" for p, n in uncovered.packages.items())
        + ".",
        "",
        "*Only this theme* counts statements whose contexts carry that theme and no other:",
        "the code that would lose all coverage if that suite were dropped.",
        "*Import only* counts statements the theme ran only while pytest imported modules,",
        "before or outside any of its tests: *Lines* counts them as covered, *By its tests* does not.",
        "File and line listings are in `lines.json`; the themed pages are in `index.html`.",
        "Thresholds come from `[tool.covthemes.thresholds]` in `pyproject.toml`; they are enforced",
        "only with `covthemes publish --enforce-thresholds` or `COVTHEMES_ENFORCE_THRESHOLDS=1`.",
        "",
    ]
    return "\n".join(lines)


def _package_cell(theme: ThemeResult, package: str) -> str:
    numbers = theme.coverage.packages[package]
    by_tests = percent(theme.tested_lines(package), numbers.num_statements)
    return f"{numbers.display_covered()}% (tests {display_percent(by_tests, numbers.precision)}%)"


def _threshold_cell(threshold: Threshold | None) -> str:
    return threshold.display() if threshold else "none"
