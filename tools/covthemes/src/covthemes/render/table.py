"""The theme table, defined once as columns, and the Markdown and HTML that render any table.

Each column names its heading, the field its figure has in `themes.json`
(`data-field` on the index), and how to read it from a theme and from all
themes; a column that is a theme's own leaves the all-themes row empty, and
the other way round. The first figure is the headline: a theme's percent *by
its tests* (`by_tests`), all themes' coverage's own percent (the figure
`pytest --cov` prints), which ALL_THEMES_NOTE says wherever the table is
shown. `summary.md` and the index render `THEME_COLUMNS`;
`covthemes diff` renders its own tables with `markdown`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from covthemes.model.percent import Threshold
from covthemes.model.themes import ThemeResult, ThemesReport
from covthemes.settings.config import ALL_THEMES, ALL_THEMES_LABEL
from covthemes.settings.core import PHASES


@dataclass(frozen=True)
class Cell:
    """A cell's text; Markdown shows its `strong` part (a missed threshold's verdict) in bold.

    A `percent` cell gets a small bar of that percent on the index.
    """

    text: str
    strong: str = ""
    percent: float | None = None


# What each column counts: the index shows it as the heading's tooltip.
HELP = {
    "status": "passed, or failed when a test of the theme failed",
    "tests": "the tests the theme's run selected",
    "by_tests": "percent of statements and branches the theme's tests ran (all themes: coverage's percent)",
    "import_only_lines": "statements the theme ran only while pytest imported modules, never in a test",
    "tested_branches": "branches the theme's tests took, of all branches",
    "lines": "statements the theme ran, at import or in its tests, of all statements",
    "branches": "branches the theme took, at import or in its tests",
    "percent_covered_display": "percent with what ran at import counted as covered",
    "tested_lines": "statements the theme's tests ran, of all statements",
    "unique_lines": "statements this theme ran and no other theme did (only this theme)",
    "uncovered_lines": "statements no theme ran (blind spots)",
    "threshold": "the minimum from [tool.covthemes.thresholds], judged on the percent by its tests",
}


def percent_bar(percent: float) -> str:
    """A small bar of `percent`, drawn in SVG: the pages' CSP allows no inline style."""
    filled = max(0.0, min(100.0, percent)) / 2
    return (
        '<svg class="pct" width="50" height="6" aria-hidden="true">'
        '<rect class="pct-bg" width="50" height="6"/>'
        f'<rect class="pct-fill" width="{filled:.1f}" height="6"/></svg>'
    )


@dataclass(frozen=True)
class Column:
    heading: str
    field: str
    theme: Callable[[ThemeResult], Cell | None]
    all_themes: Callable[[ThemesReport], Cell | None]
    numeric: bool = True


def threshold_cell(threshold: Threshold | None) -> Cell:
    if threshold is None:
        return Cell("none")
    verdict = "met" if threshold.met else "missed"
    return Cell(f"{threshold.min_percent:g}% {verdict}", strong="" if threshold.met else verdict)


def _lines(covered: int, statements: int) -> Cell:
    return Cell(f"{covered}/{statements}")


def _count(count: int) -> Cell:
    return Cell(str(count))


# The mark on all themes' headline, and the note that explains it.
ALL_THEMES_MARK = "†"
ALL_THEMES_NOTE = (
    f"{ALL_THEMES_MARK} {ALL_THEMES_LABEL}: coverage's own percent, the figure `pytest --cov` prints, "
    "what ran at import included. A theme's *By its tests* counts the statements and branches "
    "its tests ran; what it ran only at import is *Import only*, never in that figure. "
    "Each threshold is judged on the percent beside it."
)


def note_html(note: str) -> str:
    """A Markdown note (`code` and *emphasis* only) as HTML, escaped."""
    html = escape(note)
    html = re.sub(r"`([^`]+)`", r"<code>\1</code>", html)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html)


THEME_COLUMNS = (
    Column("Status", "status", lambda t: Cell(t.status), lambda r: Cell(r.status), numeric=False),
    Column("Tests", "tests", lambda t: Cell(str(t.run.tests)), lambda r: Cell(str(r.tests))),
    Column(
        "By its tests",
        "by_tests",
        lambda t: Cell(f"{t.by_tests.total.display_covered()}%", percent=t.by_tests.total.pc_covered),
        lambda r: Cell(
            f"{r.all_themes.total.display_covered()}%{ALL_THEMES_MARK}", percent=r.all_themes.total.pc_covered
        ),
    ),
    Column(
        "Import only", "import_only_lines", lambda t: Cell(str(t.import_only_lines.total)), lambda r: None
    ),
    Column(
        "Branches by its tests",
        "tested_branches",
        lambda t: _lines(t.by_tests.total.covered_branches, t.by_tests.total.num_branches),
        lambda r: None,
    ),
    Column(
        "Lines",
        "lines",
        lambda t: _lines(t.coverage.total.covered_lines, t.coverage.total.num_statements),
        lambda r: _lines(r.all_themes.total.covered_lines, r.all_themes.total.num_statements),
    ),
    Column(
        "Branches",
        "branches",
        lambda t: _lines(t.coverage.total.covered_branches, t.coverage.total.num_branches),
        lambda r: _lines(r.all_themes.total.covered_branches, r.all_themes.total.num_branches),
    ),
    Column(
        "With import",
        "percent_covered_display",
        lambda t: Cell(f"{t.coverage.total.display_covered()}%", percent=t.coverage.total.pc_covered),
        lambda r: Cell(f"{r.all_themes.total.display_covered()}%", percent=r.all_themes.total.pc_covered),
    ),
    Column(
        "Lines by its tests",
        "tested_lines",
        lambda t: _lines(t.by_tests.total.covered_lines, t.by_tests.total.num_statements),
        lambda r: None,
    ),
    Column("Only this theme", "unique_lines", lambda t: Cell(str(t.only_this_theme.total)), lambda r: None),
    Column("Blind spots", "uncovered_lines", lambda t: None, lambda r: Cell(str(r.blind_spots.total))),
    Column(
        "Threshold",
        "threshold",
        lambda t: threshold_cell(t.threshold),
        lambda r: threshold_cell(r.threshold),
        numeric=False,
    ),
)


@dataclass(frozen=True)
class Row:
    """One theme's row (`key` the theme), or all themes' (`key` ALL_THEMES)."""

    key: str
    label: str
    cells: tuple[Cell | None, ...]


def theme_rows(report: ThemesReport) -> list[Row]:
    rows = [
        Row(name, name, tuple(column.theme(theme) for column in THEME_COLUMNS))
        for name, theme in report.themes.items()
    ]
    rows.append(
        Row(ALL_THEMES, ALL_THEMES_LABEL, tuple(column.all_themes(report) for column in THEME_COLUMNS))
    )
    return rows


def markdown(headings: Sequence[str], numeric: Sequence[bool], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table: numeric columns right-aligned, the first column left.

    A `|` inside a cell (a file name's, in a code span) is escaped, as GitHub's
    tables need even inside code spans, so it never splits the cell.
    """

    def line(cells: Sequence[str]) -> str:
        return "|" + "|".join(f" {cell.replace('|', chr(92) + '|')} " for cell in cells) + "|"

    separator = "|" + "|".join("---:" if right else "---" for right in numeric) + "|"
    return [line(headings), separator, *(line(row) for row in rows)]


def _markdown_text(cell: Cell | None) -> str:
    if cell is None:
        return ""
    return cell.text.replace(cell.strong, f"**{cell.strong}**") if cell.strong else cell.text


def theme_table_markdown(report: ThemesReport) -> list[str]:
    rows = [
        [f"**{row.label}**" if row.key == ALL_THEMES else row.label, *map(_markdown_text, row.cells)]
        for row in theme_rows(report)
    ]
    return markdown(
        ["Theme", *(c.heading for c in THEME_COLUMNS)], [False, *(c.numeric for c in THEME_COLUMNS)], rows
    )


def theme_table_html(report: ThemesReport) -> str:
    head = (
        '<tr><th title="the theme, and all themes together">Theme</th>'
        + "".join(f'<th title="{escape(HELP[c.field])}">{escape(c.heading)}</th>' for c in THEME_COLUMNS)
        + "</tr>"
    )
    body = []
    for row in theme_rows(report):
        cells = "".join(
            "<td></td>"
            if cell is None
            else f'<td data-theme="{escape(row.key)}" data-field="{column.field}">{escape(cell.text)}'
            + ("" if cell.percent is None else percent_bar(cell.percent))
            + "</td>"
            for column, cell in zip(THEME_COLUMNS, row.cells, strict=True)
        )
        opening = '<tr class="total">' if row.key == ALL_THEMES else "<tr>"
        body.append(f"{opening}<th>{escape(row.label)}</th>{cells}</tr>")
    return f'<table class="themes"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'


def coverage_contexts(mode: str) -> str:
    """What coverage.py's own HTML lists as a line's contexts, in the contexts mode of the runs."""
    if mode == PHASES:
        return (
            "its contexts are each theme's two phases, import and tests; for the tests that ran each line, "
            'measure with `contexts = "tests"` in [tool.covthemes]'
        )
    return "its contexts are the tests that ran each line"
