"""`summary.md`: the theme table a person reads at a glance, and CI's job summary.

Percentages are shown at coverage's `[report] precision`, the precision the
thresholds are judged at (`covthemes.model.percent`). A theme's first figure
is its percent *by its tests*; all themes' is coverage's own percent
(`covthemes.render.table`).
"""

from __future__ import annotations

from covthemes.model.themes import ThemeResult, ThemesReport
from covthemes.render import table
from covthemes.render.safe import code
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
    ]
    lines += table.theme_table_markdown(summary)
    lines += [
        "",
        table.ALL_THEMES_NOTE,
        "",
        "## By package (percent by its tests, and with what ran at import)",
        "",
    ]
    rows = [[name, *(_package_cell(theme, p) for p in packages)] for name, theme in summary.themes.items()]
    rows.append(
        [
            f"**{ALL_THEMES_LABEL}**",
            *(
                f"{summary.all_themes.packages[p].display_covered()}%{table.ALL_THEMES_MARK}"
                for p in packages
            ),
        ]
    )
    lines += table.markdown(["Theme", *(code(p) for p in packages)], [False, *(True for _ in packages)], rows)
    uncovered = summary.blind_spots
    lines += [
        "",
        f"**No theme covers {uncovered.total} statement(s)**: "
        + ", ".join(f"{code(p)} {n}" for p, n in uncovered.packages.items())
        + ".",
        "",
        "*Only this theme* counts statements whose contexts carry that theme and no other:",
        "the code that would lose all coverage if that suite were dropped.",
        "*Import only* counts statements the theme ran only while pytest imported modules,",
        "before or outside any of its tests: *With import* and *Lines* count them as covered,",
        "*By its tests* does not.",
        "File and line listings are in `lines.json`; the themed pages are in `index.html`.",
        "Thresholds come from `[tool.covthemes.thresholds]` in `pyproject.toml`; they are enforced",
        "only with `covthemes publish --enforce-thresholds` or `COVTHEMES_ENFORCE_THRESHOLDS=1`.",
        "",
    ]
    return "\n".join(lines)


def _package_cell(theme: ThemeResult, package: str) -> str:
    tested = theme.by_tests.packages[package]
    return f"{tested.display_covered()}% (with import {theme.coverage.packages[package].display_covered()}%)"
