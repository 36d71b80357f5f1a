"""The theme-overlap view of `index.html`: which combinations of themes ran the statements by their tests.

Every statement of every measured file falls in exactly one bar: the set of
themes whose tests ran it (`LineThemes.themes_by_tests`), when there is one;
else *import only* (some theme ran it, but no theme's tests did); else the
blind spots (no theme ran it). So the bars add up to the statements. Bars are
sorted by size, UpSet style: a row per bar, with a dot per configured theme
saying whether that theme is in the combination, the count, a bar as wide as
the count's share of the largest bar (an SVG rect: the pages' CSP allows no
inline style), and a `<details>` listing the bar's lines by file, each linking
to its line on the themed page (`covthemes.render.pages`). Each row carries
`data-themes` (the combination's themes, sorted and joined with `+`, or
`import`, or `none`) and `data-statements`. `covthemes.render.index` places
the section; the numbers come from the line listing of `covthemes.model.lines`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from covthemes.model.lines import LineListing, LineThemes
from covthemes.render.safe import href
from covthemes.settings.config import ALL_THEMES_LABEL
from covthemes.settings.layout import PAGES, page_name

IMPORT_ONLY = "import"
BLIND_SPOTS = "none"
JOIN = "+"


@dataclass(frozen=True)
class Bar:
    """One combination: its `data-themes` key, its themes, and its statements by file."""

    key: str
    themes: frozenset[str]
    lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def statements(self) -> int:
        return sum(len(lines) for lines in self.lines.values())


def key_of(lines: LineThemes, line: int) -> str:
    """The bar of one statement: its by-tests themes joined with `+`, `import` or `none`."""
    if tested := lines.themes_by_tests(line):
        return JOIN.join(sorted(tested))
    return IMPORT_ONLY if lines.ran.get(line) else BLIND_SPOTS


def bars(files: Mapping[str, LineThemes]) -> list[Bar]:
    """Every non-empty bar, largest first (ties by key), each statement in exactly one."""
    found: dict[str, Bar] = {}
    for path, lines in sorted(files.items()):
        for line in lines.statements:
            key = key_of(lines, line)
            if key not in found:
                themes = frozenset() if key in (IMPORT_ONLY, BLIND_SPOTS) else frozenset(key.split(JOIN))
                found[key] = Bar(key, themes)
            found[key].lines.setdefault(path, []).append(line)
    return sorted(found.values(), key=lambda bar: (-bar.statements, bar.key))


def section(themes: Sequence[str], listing: LineListing | None) -> str:
    """The view's heading, legend and table; empty without a listing's files (nothing to show)."""
    if listing is None or not listing.files:
        return ""
    found = bars(listing.files)
    total = sum(bar.statements for bar in found)
    largest = max(bar.statements for bar in found)
    head = (
        "<tr>"
        + "".join(
            f'<th class="dot" title="Filled when {escape(t)}\'s tests ran the statements of the row">'
            f"{escape(t)}</th>"
            for t in themes
        )
        + '<th class="label" title="The themes whose tests, and no other theme\'s, ran these statements; '
        "else import only (no theme's tests ran them) or blind spots (no theme ran them)\">"
        "Ran by the tests of</th>"
        '<th title="Statements in this row: each statement of each file is counted in one row">'
        "Statements</th>"
        '<th class="bar" title="The row\'s statements, against the largest row">Bar</th>'
        '<th class="lines" title="The row\'s statements by file, each linking to its line">Lines</th></tr>'
    )
    rows = "".join(_row(bar, themes, total, largest) for bar in found)
    return f"""<section class="overlap">
<h2 id="overlap">Theme overlap</h2>
<p class="overlap-legend">Each of the {total} statements is counted once: in the row of the exact
set of themes whose tests ran it (a filled dot per theme), else in <em>import only</em> (a theme
ran it, but no theme's tests did), else in the <em>blind spots</em> (no theme ran it).
Rows are sorted by size; open a row's lines to reach each on its file's page.</p>
<table class="overlap"><thead>{head}</thead><tbody>{rows}</tbody></table>
</section>
"""


def _row(bar: Bar, themes: Sequence[str], total: int, largest: int) -> str:
    dots = "".join(
        f'<td class="dot{" in" if t in bar.themes else ""}" title="{escape(t)}\'s tests '
        f'{"ran" if t in bar.themes else "did not run"} these statements">'
        f"{'●' if t in bar.themes else '○'}</td>"
        for t in themes
    )
    share = f"{100 * bar.statements / total:.1f}% of the statements"
    width = f"{100 * bar.statements / largest:.2f}%"
    files = "".join(
        f"<li><code>{escape(path)}</code>: {_links(path, lines)}</li>" for path, lines in bar.lines.items()
    )
    return (
        f'<tr class="overlap-bar {_kind(bar)}" data-themes="{escape(bar.key)}" '
        f'data-statements="{bar.statements}">{dots}'
        f'<th scope="row">{escape(_label(bar, themes))}</th>'
        f'<td class="count" title="{share}">{bar.statements}</td>'
        f'<td class="bar" title="{bar.statements} statements, {share}">'
        f'<svg class="overlap-bar" width="100%" height="14" aria-hidden="true">'
        f'<rect width="{width}" height="14"/></svg></td>'
        f'<td class="lines" title="The statements of this row, by file">'
        f"<details><summary>{bar.statements} lines in {len(bar.lines)} files</summary>"
        f"<ul>{files}</ul></details></td></tr>"
    )


def _links(path: str, lines: list[int]) -> str:
    target = f"{PAGES}/{page_name(path)}"
    return ", ".join(f'<a href="{href(target, f"L{line}")}">{line}</a>' for line in lines)


def _label(bar: Bar, themes: Sequence[str]) -> str:
    if bar.key == IMPORT_ONLY:
        return "import only"
    if bar.key == BLIND_SPOTS:
        return "blind spots"
    if len(themes) > 1 and bar.themes == frozenset(themes):
        return ALL_THEMES_LABEL
    return " + ".join(t for t in themes if t in bar.themes)


def _kind(bar: Bar) -> str:
    return {IMPORT_ONLY: "import-only", BLIND_SPOTS: "blind-spots"}.get(bar.key, "by-tests")
