"""The themed page of each measured file: its source, with the themes marked on every statement.

A page carries themes, never test ids, so its weight follows the source and
not the number of tests. Every statement line has stable hooks for tests and
scripts: `id="L<n>"` (every line), `data-line`, `data-themes` (the themes whose tests ran it),
`data-import-only` (the themes that ran it only at import), `data-unique`
(the one theme that ran it, when only one did), `data-blind` (no theme ran
it), `data-partial` (in all themes, a branch from it was never taken; its
value and its mark say where those branches go, `12, exit`) and `data-scope`
(the line of its innermost enclosing `def` or `class`). The `<select
name="theme">` filter is wired up by `assets/report.js`: the blind-spots
filter shows the partial lines too, a filtered view keeps each shown line's
enclosing `def` and `class` lines in sight (as `class="context"`), and a
filter that matches nothing says so.
The index that links the pages is `covthemes.render.index`.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from html import escape
from pathlib import Path

from covthemes.model.lines import LineThemes
from covthemes.render.safe import href, page_head
from covthemes.render.table import coverage_contexts
from covthemes.settings.layout import ASSETS, COVERAGE_HTML, SCRIPT, STYLESHEET, coverage_page, page_name


def theme_class(themes: Sequence[str], theme: str) -> str:
    """A CSS class giving each theme its colour, by its place in the configured order."""
    return f"t{themes.index(theme) % 8}"


def filter_options(themes: Sequence[str]) -> str:
    options = [("all", "all lines")]
    options += [(theme, f"lines {theme} runs") for theme in themes]
    options += [(f"only:{theme}", f"lines only {theme} runs") for theme in themes]
    options.append(("none", "blind spots and branches no theme takes"))
    return "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in options)


def render(path: str, source: str, lines: LineThemes, themes: Sequence[str], title: str, mode: str) -> str:
    target = coverage_page(path)
    to_coverage = f"../{COVERAGE_HTML}/{target}" if target else ""
    statements = set(lines.statements)
    scopes = enclosing_scopes(source)
    rows = []
    for number, text in enumerate(source.splitlines(), start=1):
        link = f'<a href="{href(to_coverage, f"t{number}")}">{number}</a>' if to_coverage else str(number)
        code = f"<code>{escape(text) or ' '}</code>"
        if number not in statements:
            rows.append(
                f'<tr class="line" id="L{number}"><td class="num">{link}</td>'
                f'<td class="marks"></td><td>{code}</td></tr>'
            )
            continue
        rows.append(_statement_row(number, lines, themes, link, code, scopes.get(number)))
    legend = "".join(f'<span class="chip {theme_class(themes, t)}">{escape(t)}</span>' for t in themes)
    counts = _counts(lines, themes)
    return f"""{page_head(f"{path} · {title}", STYLESHEET)}
<body class="file-page">
<header>
<p><a href="../index.html">{escape(title)}</a> &rsaquo; <strong>{escape(path)}</strong></p>
<p class="counts">{counts}</p>
<form class="controls">
<label>Show <select name="theme">{filter_options(themes)}</select></label>
<span class="legend">{legend}
<span class="chip import">outlined: only at import</span>
<span class="mark-unique">★ only this theme</span>
<span class="mark-blind">blind spot: no theme</span>
<span class="mark-partial">→ branches no theme takes</span></span>
{_coverage_link(to_coverage, mode)}
</form>
</header>
<main>
<p class="no-match" hidden>no line matches</p>
<table class="source">
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</main>
<script src="{SCRIPT}"></script>
</body>
</html>
"""


def _coverage_link(to_coverage: str, mode: str) -> str:
    if not to_coverage:
        return "<span>coverage.py has no page for this file: its name is too long for a file name</span>"
    return (
        f'<a href="{href(to_coverage)}">coverage.py\'s page for this file</a> '
        f'<span class="note">({escape(coverage_contexts(mode))})</span>'
    )


def enclosing_scopes(source: str) -> dict[int, int]:
    """Each line's innermost enclosing `def` or `class` line; none for a source that does not parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    scopes: dict[int, int] = {}
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    # Outer first, so an inner scope's lines end up with the inner one.
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, kinds)), key=lambda n: n.lineno):
        for line in range(node.lineno + 1, (node.end_lineno or node.lineno) + 1):
            scopes[line] = node.lineno
    return scopes


def destinations(ends: Sequence[int]) -> str:
    """Where a line's missing branches go: line numbers, and `exit` for a negative one (leaving the code)."""
    shown = [str(end) for end in ends if end >= 0]
    return ", ".join([*shown, "exit"] if any(end < 0 for end in ends) else shown)


def _statement_row(
    number: int, lines: LineThemes, themes: Sequence[str], link: str, code: str, scope: int | None
) -> str:
    by_tests = lines.themes_by_tests(number)
    at_import = lines.themes_at_import_only(number)
    ran = by_tests | at_import
    unique = next(iter(ran)) if len(ran) == 1 else ""
    attributes = [
        f'data-line="{number}"',
        f'data-themes="{escape(" ".join(t for t in themes if t in by_tests))}"',
        f'data-import-only="{escape(" ".join(t for t in themes if t in at_import))}"',
    ]
    chips = [
        f'<span class="chip {theme_class(themes, t)}" title="{t}: run by its tests">{t[:1]}</span>'
        for t in themes
        if t in by_tests
    ]
    chips += [
        f'<span class="chip import {theme_class(themes, t)}" title="{t}: run only at import">{t[:1]}</span>'
        for t in themes
        if t in at_import
    ]
    classes = ["line", "stmt"]
    if unique:
        attributes.append(f'data-unique="{escape(unique)}"')
        chips.append(f'<span class="mark-unique" title="only {escape(unique)} runs this line">★</span>')
    if not ran:
        attributes.append("data-blind")
        classes.append("blind")
        chips.append('<span class="mark-blind" title="no theme runs this line">blind spot</span>')
    if number in lines.partial:
        ends = escape(destinations(lines.partial[number]))
        attributes.append(f'data-partial="{ends}"')
        classes.append("partial")
        chips.append(f'<span class="mark-partial" title="branches no theme takes">→ {ends}</span>')
    if scope is not None:
        attributes.append(f'data-scope="{scope}"')
    return (
        f'<tr class="{" ".join(classes)}" id="L{number}" {" ".join(attributes)}><td class="num">{link}</td>'
        f'<td class="marks">{"".join(chips)}</td><td>{code}</td></tr>'
    )


def _counts(lines: LineThemes, themes: Sequence[str]) -> str:
    parts = [f"{len(lines.statements)} statements"]
    for theme in themes:
        tested = sum(1 for line in lines.ran if theme in lines.themes_by_tests(line))
        at_import = len(lines.import_only(theme))
        unique = len(lines.only_this_theme(theme))
        parts.append(
            f"<strong>{escape(theme)}</strong> {tested} by tests, "
            f"{at_import} only at import, {unique} only it"
        )
    parts.append(f"{len(lines.blind_spots)} blind spots")
    return " · ".join(parts)


def write_pages(
    root: Path, folder: Path, files: dict[str, LineThemes], themes: Sequence[str], title: str, mode: str
) -> None:
    """Write a page per file into `folder`, with the shared stylesheet and script."""
    folder.mkdir(parents=True, exist_ok=True)
    assets = Path(__file__).with_name("assets")
    for asset in ASSETS:
        (folder / asset).write_bytes((assets / asset).read_bytes())
    for path, lines in files.items():
        source = (root / path).read_text(encoding="utf-8", errors="replace")
        (folder / page_name(path)).write_text(
            render(path, source, lines, themes, title, mode), encoding="utf-8"
        )
