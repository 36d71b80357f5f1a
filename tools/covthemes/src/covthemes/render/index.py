"""`index.html`: the themed report's front page.

A header with the revision, each theme's status and when the report was made;
the theme table and the theme-by-package table, with the numbers of
`themes.json`; and a table of files, one column per theme, sortable and
filterable by `assets/report.js`, each file linking to its themed page
(`covthemes.render.pages`). Given a history, a trend chart of the recorded
commits follows the theme table, this report its newest point
(`covthemes.render.chart`); without one the page has no trend section. Every number cell carries `data-theme`,
`data-package` (where it applies) and `data-field`, named as in
`themes.json`, so scripts and tests can read the page. A theme's first figure
is its percent by its tests (`data-field="by_tests"`); the percent with what
ran at import follows it, under its own `data-field`.
"""

from __future__ import annotations

from html import escape

from covthemes.model.history import History, HistoryEntry
from covthemes.model.lines import LineListing
from covthemes.model.themes import ThemesReport
from covthemes.render import chart, overlap, table
from covthemes.render.safe import href, page_head
from covthemes.settings.config import ALL_THEMES, ALL_THEMES_LABEL
from covthemes.settings.layout import COVERAGE_HTML, PAGES, SCRIPT, STYLESHEET, page_name


def render(
    summary: ThemesReport, title: str, history: History | None = None, listing: LineListing | None = None
) -> str:
    statuses = " ".join(
        f'<span class="status {t.status}" data-theme="{escape(name)}" data-field="status">'
        f"{escape(name)}: {t.status}</span>"
        for name, t in summary.themes.items()
    )
    contexts = table.coverage_contexts(summary.contexts)
    return f"""{page_head(title, f"{PAGES}/{STYLESHEET}")}
<body class="index-page">
<header>
<h1>{escape(title)}</h1>
<p>Revision <code>{escape(summary.revision.git or "no git")}</code>, source hash
<code>{escape(summary.revision.source_hash[:12])}</code>, made {escape(summary.generated)}.
Overall: <span class="status {summary.status}">{summary.status}</span>.</p>
<p>{statuses}</p>
<p><a href="{COVERAGE_HTML}/index.html">coverage.py's report</a>: {escape(contexts)}.</p>
</header>
<main>
<h2>Themes</h2>
{table.theme_table_html(summary)}
<p class="note">{table.note_html(table.ALL_THEMES_NOTE)}</p>
{_trend(summary, history)}<h2>Themes by package</h2>
{_package_table(summary)}
{overlap.section(tuple(summary.themes), listing)}
<h2>Files</h2>
<p><label>Filter by name <input type="search" name="file-filter" placeholder="part of a path"></label>
Click a column's heading to sort by it. A theme's column is its percent by its tests,
with what ran at import included beside it.</p>
{_file_table(summary)}
</main>
<script src="{PAGES}/{SCRIPT}"></script>
</body>
</html>
"""


def _trend(summary: ThemesReport, history: History | None) -> str:
    if history is None:
        return ""
    recorded = history.with_entry(HistoryEntry.of(summary))
    return "<h2>Trend</h2>\n" + chart.render(recorded, tuple(summary.themes), summary.precision)


def _package_table(summary: ThemesReport) -> str:
    packages = list(summary.all_themes.packages)
    tip = "the theme's percent by its tests in this package (all themes: coverage's percent), and its counts"
    head = (
        '<tr><th title="the theme, and all themes together">Theme</th>'
        + "".join(f'<th title="{tip}"><code>{escape(p)}</code></th>' for p in packages)
        + "</tr>"
    )
    rows = []
    groups = [(name, theme.coverage.packages, theme) for name, theme in summary.themes.items()]
    for name, numbers, theme in [*groups, (ALL_THEMES, summary.all_themes.packages, None)]:
        cells = []
        for package in packages:
            n = numbers[package]
            where = f'data-theme="{escape(name)}" data-package="{escape(package)}"'
            with_import = f'<span {where} data-field="percent_covered_display">{n.display_covered()}%</span>'
            if theme is None:
                cells.append(
                    f"<td>{with_import}{table.ALL_THEMES_MARK}{table.percent_bar(n.pc_covered)}"
                    f"<small>{n.covered_lines}/{n.num_statements} lines, "
                    f"{n.covered_branches}/{n.num_branches} branches</small></td>"
                )
                continue
            t = theme.by_tests.packages[package]
            detail = (
                f"{t.covered_lines}/{t.num_statements} lines, {t.covered_branches}/{t.num_branches} branches"
                f" by its tests; {theme.import_only_lines.packages.get(package, 0)} import only,"
                f" {theme.only_this_theme.packages.get(package, 0)} only this theme; with import "
            )
            cells.append(
                f'<td {where} data-field="by_tests">{t.display_covered()}%{table.percent_bar(t.pc_covered)}'
                f"<small>{escape(detail)}{with_import}</small></td>"
            )
        label = ALL_THEMES_LABEL if theme is None else name
        rows.append(f"<tr><th>{escape(label)}</th>{''.join(cells)}</tr>")
    return f'<table class="packages"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _file_table(summary: ThemesReport) -> str:
    themes = list(summary.themes)
    head = (
        '<tr><th data-sort-type="text" title="the measured file; it links to its themed page">File</th>'
        '<th title="statements in the file">Statements</th>'
        + "".join(
            f'<th title="{escape(t)}: percent by its tests, then with import">{escape(t)}</th>'
            for t in themes
        )
        + f'<th title="coverage\'s percent of the file">{ALL_THEMES_LABEL}{table.ALL_THEMES_MARK}</th></tr>'
    )
    columns = [*(summary.themes[t].coverage.files for t in themes), summary.all_themes.files]
    names = [*themes, ALL_THEMES]
    rows = []
    for path, merged in sorted(summary.all_themes.files.items()):
        link = href(f"{PAGES}/{page_name(path)}")
        cells = [
            f'<th data-sort="{escape(path)}"><a href="{link}">{escape(path)}</a></th>',
            f'<td data-sort="{merged.num_statements}">{merged.num_statements}</td>',
        ]
        for theme, files in zip(names, columns, strict=True):
            numbers = files[path]
            if theme == ALL_THEMES:
                cells.append(
                    f'<td data-theme="{escape(theme)}" data-field="percent_covered" '
                    f'data-sort="{numbers.pc_covered:.6f}">{numbers.display_covered()}%'
                    f"{table.percent_bar(numbers.pc_covered)}</td>"
                )
                continue
            tested = summary.themes[theme].by_tests.files[path]
            cells.append(
                f'<td data-theme="{escape(theme)}" data-field="by_tests" '
                f'data-sort="{tested.pc_covered:.6f}">{tested.display_covered()}%'
                f"{table.percent_bar(tested.pc_covered)}"
                f'<small>with import <span data-theme="{escape(theme)}" data-field="percent_covered">'
                f"{numbers.display_covered()}%</span></small></td>"
            )
        rows.append(f'<tr data-file="{escape(path)}">{"".join(cells)}</tr>')
    return f'<table class="files sortable"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
