"""The themed report in a real browser: Debian's Chromium, driven by Playwright, from file://.

Every expectation is recounted from `baseline.json`'s contexts or read from
`themes.json`, never from the pages themselves. The browser and the
watched page are in browser.py. Screenshots of the index and
of one file page go to `$COVTHEMES_SCREENSHOTS` (default
`coverage/screenshots/` in this checkout), which CI uploads.
"""

from __future__ import annotations

import os
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from coverage.files import flat_rootname
from coverage.parser import PythonParser

from tests.pipeline.helpers import REPO, THEMES, load_json

pytestmark = pytest.mark.pipeline

SCREENSHOTS = Path(os.environ.get("COVTHEMES_SCREENSHOTS", REPO / "coverage" / "screenshots"))


class Recount:
    """From baseline.json: each statement's themes, by their tests and at import only."""

    def __init__(self, baseline: dict) -> None:
        self.statements: dict[str, set[int]] = {}
        self.by_tests: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.ran: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        # Lines with a branch no theme took, and where those branches go.
        self.partial: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        for path, entry in baseline["files"].items():
            self.statements[path] = set(entry["executed_lines"]) | set(entry["missing_lines"])
            for source, destination in entry["missing_branches"]:
                self.partial[path][source].add(destination)
            for line, contexts in entry["contexts"].items():
                for context in contexts:
                    theme = context.split("|", 1)[0]
                    if theme in THEMES:
                        self.ran[path][int(line)].add(theme)
                        if "|" in context:
                            self.by_tests[path][int(line)].add(theme)

    def expected(self, path: str) -> dict[int, tuple[str, str]]:
        """Each statement's `data-themes` and `data-import-only`, in configured theme order."""
        result = {}
        for line in self.statements[path]:
            tests = self.by_tests[path].get(line, set())
            at_import = self.ran[path].get(line, set()) - tests
            result[line] = (
                " ".join(t for t in THEMES if t in tests),
                " ".join(t for t in THEMES if t in at_import),
            )
        return result

    def unique(self, path: str, theme: str) -> set[int]:
        return {line for line in self.statements[path] if self.ran[path].get(line) == {theme}}

    def blind(self, path: str) -> set[int]:
        return {line for line in self.statements[path] if not self.ran[path].get(line)}

    def blind_or_partial(self, path: str) -> set[int]:
        """What the blind-spots filter shows: lines no theme runs, and lines with a branch no theme takes."""
        return self.blind(path) | set(self.partial[path])


class StatementRows(HTMLParser):
    """The `data-line` rows of a themed page, with their `data-themes` and `data-import-only`."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[int, tuple[str, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "tr" and values.get("data-line"):
            line = int(values["data-line"] or 0)
            self.rows[line] = (values.get("data-themes") or "", values.get("data-import-only") or "")


@pytest.fixture(scope="module")
def recount(matrix) -> Recount:
    return Recount(load_json(matrix / "coverage" / "baseline.json"))


def page_of(matrix: Path, path: str) -> Path:
    return matrix / "coverage" / "files" / f"{flat_rootname(path)}.html"


def test_index_numbers_equal_themes_json(matrix, watched):
    """Every number of the index's theme and package tables is the one in themes.json."""
    themes = load_json(matrix / "coverage" / "themes.json")
    page = watched.open(matrix / "coverage" / "index.html")
    for name, theme in themes["themes"].items():
        total = theme["total"]
        expected = {
            "status": theme["status"],
            "tests": str(theme["tests"]),
            "lines": f"{total['covered_lines']}/{total['num_statements']}",
            "branches": f"{total['covered_branches']}/{total['num_branches']}",
            "percent_covered_display": f"{total['percent_covered_display']}%",
            "tested_lines": f"{total['covered_lines'] - theme['import_only_lines']['total']}/"
            f"{total['num_statements']}",
            "by_tests": f"{theme['by_tests']['percent_covered_display']}%",
            "unique_lines": str(theme["unique_lines"]["total"]),
            "import_only_lines": str(theme["import_only_lines"]["total"]),
        }
        for field, value in expected.items():
            cell = page.locator(f'table.themes td[data-theme="{name}"][data-field="{field}"]')
            assert cell.inner_text() == value, (name, field)
        for package, numbers in theme["packages"].items():
            cell = page.locator(f'table.packages td[data-theme="{name}"][data-package="{package}"]')
            # A theme's package cell opens with its percent by its tests.
            shown = numbers["by_tests"]["percent_covered_display"]
            assert cell.inner_text().startswith(f"{shown}%"), (name, package)
    merged = themes["total"]["total"]
    cell = page.locator('table.themes td[data-theme="total"][data-field="percent_covered_display"]')
    assert cell.inner_text() == f"{merged['percent_covered_display']}%"
    rows = page.locator("table.files tbody tr")
    assert rows.count() == len(load_json(matrix / "coverage" / "baseline.json")["files"])
    assert watched.errors == []
    assert watched.remote == []


def test_index_sorts_and_filters_files(matrix, watched):
    """Clicking a heading sorts the file table by it; typing in the filter keeps matching files only."""
    page = watched.open(matrix / "coverage" / "index.html")
    page.locator("table.files thead th", has_text="security").click()
    values = [
        float(v)
        for v in page.locator('table.files td[data-theme="security"]').evaluate_all(
            "cells => cells.map(c => c.dataset.sort)"
        )
    ]
    assert values == sorted(values)
    page.fill('input[name="file-filter"]', "logging_lib/")
    visible = page.locator("table.files tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.file)"
    )
    assert visible and all(path.startswith("logging_lib/") for path in visible)
    assert watched.errors == []


def test_every_statement_carries_the_recounted_themes(matrix, recount):
    """For every measured file, each statement's data-themes and data-import-only equal the recount."""
    for path in recount.statements:
        rows = StatementRows()
        rows.feed(page_of(matrix, path).read_text())
        assert rows.rows == recount.expected(path), path


# The lines a filter matched; the enclosing `def` and `class` lines it keeps in sight are `.context`.
MATCHED = "tr.line:visible:not(.context)"


def test_theme_filter_shows_exactly_the_unique_lines_and_the_blind_spots(matrix, recount, watched):
    """`only:<theme>` matches exactly that theme's unique lines, `none` the blind spots and partial lines."""
    checked_unique = checked_blind = 0
    for path in recount.statements:
        page = watched.open(page_of(matrix, path))
        for theme in THEMES:
            page.select_option('select[name="theme"]', f"only:{theme}")
            visible = page.locator(MATCHED).evaluate_all("rows => rows.map(r => r.dataset.line)")
            assert {int(v) for v in visible} == recount.unique(path, theme), (path, theme)
            assert page.locator(".no-match").is_visible() == (not visible), (path, theme)
            checked_unique += len(visible)
        page.select_option('select[name="theme"]', "none")
        visible = page.locator(MATCHED).evaluate_all("rows => rows.map(r => r.dataset.line)")
        assert {int(v) for v in visible} == recount.blind_or_partial(path), path
        checked_blind += len(visible)
        page.select_option('select[name="theme"]', "all")
        assert page.locator("tr.line:visible").count() == page.locator("tr.line").count()
    assert checked_unique > 0 and checked_blind > 0
    assert watched.errors == []
    assert watched.remote == []


def test_a_partial_branch_is_marked_and_the_blind_spots_filter_shows_it(matrix, recount, watched):
    """apps/api/app.py's partial line names where its missing branch goes; `none` shows it within its defs."""
    path = "apps/api/app.py"
    ((line, ends),) = recount.partial[path].items()
    page = watched.open(page_of(matrix, path))
    row = page.locator(f"#L{line}")
    shown = ", ".join(str(end) if end >= 0 else "exit" for end in sorted(ends, key=lambda e: (e < 0, e)))
    assert row.get_attribute("data-partial") == shown
    assert f"→ {shown}" in row.inner_text()
    page.select_option('select[name="theme"]', "none")
    assert row.is_visible()
    assert "context" not in (row.get_attribute("class") or "")
    # Its enclosing `def` lines stay in sight as context, up to the top-level one.
    scope = row.get_attribute("data-scope")
    assert scope is not None
    while scope:
        enclosing = page.locator(f"#L{scope}")
        assert enclosing.is_visible(), scope
        assert "context" in (enclosing.get_attribute("class") or "")
        assert enclosing.locator("code").inner_text().lstrip().startswith(("def ", "class ", "async def "))
        scope = enclosing.get_attribute("data-scope")
    assert not page.locator(".no-match").is_visible()
    assert watched.errors == []


def test_line_links_reach_coverage_pages(matrix, recount):
    """Each themed page links its lines to coverage.py's page for the same file, which exists."""
    for path in recount.statements:
        target = matrix / "coverage" / "html" / f"{flat_rootname(path)}.html"
        assert target.is_file(), path
        text = page_of(matrix, path).read_text()
        line = min(recount.statements[path], default=1)
        assert f'href="../html/{target.name}#t{line}"' in text, path


def test_screenshots_of_the_index_and_a_file_page(matrix, recount, watched):
    """A screenshot of the index and of the file with the most unique lines is saved for CI to upload."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = watched.open(matrix / "coverage" / "index.html")
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=False)
    busiest = max(recount.statements, key=lambda p: sum(len(recount.unique(p, t)) for t in THEMES))
    page = watched.open(page_of(matrix, busiest))
    page.screenshot(path=str(SCREENSHOTS / "file.png"), full_page=False)
    for name in ("index.png", "file.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
    assert watched.errors == []


def overlap_recount(baseline: dict, root: Path) -> dict[str, set[tuple[str, int]]]:
    """Each statement by its overlap bar, from baseline.json's contexts: the themes of its contexts with a `|`
    joined with `+`, else `import` when some theme ran it, else `none`.

    Contexts are keyed by the raw line the tracer saw; each is mapped to its statement's first line
    (PITFALLS.md 26), as a recount independent of covthemes' own reading.
    """
    found: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for path, entry in baseline["files"].items():
        parser = PythonParser(filename=str(root / path))
        parser.parse_source()
        tests: dict[int, set[str]] = defaultdict(set)
        ran: dict[int, set[str]] = defaultdict(set)
        for line, contexts in entry["contexts"].items():
            statement = parser.first_line(int(line))
            for context in contexts:
                theme = context.split("|", 1)[0]
                if theme in THEMES:
                    ran[statement].add(theme)
                    if "|" in context:
                        tests[statement].add(theme)
        for line in {*entry["executed_lines"], *entry["missing_lines"]}:
            key = "+".join(sorted(tests[line])) if tests.get(line) else "import" if ran.get(line) else "none"
            found[key].add((path, line))
    return found


def test_overlap_bars_equal_the_recount(matrix, watched):
    """Each overlap bar lists exactly the statements its data-themes names, recounted from baseline.json.

    Its data-statements is their number; the bars, largest first, add up to themes.json's statements;
    `none` holds exactly lines.json's blind spots, and every `import` line is some theme's import only.
    """
    coverage = matrix / "coverage"
    expected = overlap_recount(load_json(coverage / "baseline.json"), matrix)
    paths = {f"{flat_rootname(path)}.html": path for path in load_json(coverage / "baseline.json")["files"]}
    page = watched.open(coverage / "index.html")
    bars = page.locator("table.overlap tr[data-themes]").evaluate_all(
        """rows => rows.map(r => [r.dataset.themes, Number(r.dataset.statements),
            [...r.querySelectorAll('details a')].map(a => decodeURIComponent(a.getAttribute('href')))])"""
    )
    shown: dict[str, set[tuple[str, int]]] = {}
    for key, count, links in bars:
        targets = [link.removeprefix("files/").split("#L") for link in links]
        shown[key] = {(paths[name], int(line)) for name, line in targets}
        assert count == len(links) == len(shown[key]), key
    assert shown == expected
    counts = [count for _, count, _ in bars]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == load_json(coverage / "themes.json")["total"]["total"]["num_statements"]
    listing = load_json(coverage / "lines.json")
    blind = {(path, line) for path, lines in listing["uncovered_lines"].items() for line in lines}
    assert shown["none"] == blind
    import_only = {
        (path, line)
        for files in listing["import_only_lines"].values()
        for path, lines in files.items()
        for line in lines
    }
    assert shown["import"] <= import_only
    assert watched.errors == []
    assert watched.remote == []


def test_overlap_line_links_reach_their_lines(matrix, watched):
    """Opening a bar's lines and clicking one shows that line on its file's themed page, its anchor kept."""
    page = watched.open(matrix / "coverage" / "index.html")
    row = page.locator('table.overlap tr[data-themes="none"]')
    row.locator("summary").click()
    link = row.locator("details a").first
    line = link.inner_text()
    link.click()
    page.wait_for_selector("html[data-ready=true]")
    assert page.url.endswith(f"#L{line}")
    target = page.locator(f'tr[id="L{line}"]')
    assert target.get_attribute("data-line") == line
    assert target.get_attribute("data-blind") is not None
    assert target.evaluate(
        "row => row.getBoundingClientRect().top >= 0 && row.getBoundingClientRect().top < innerHeight"
    )
    assert watched.errors == []


def test_screenshot_of_the_overlap_view(matrix, watched):
    """A screenshot of the theme-overlap view is saved for CI to upload."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = watched.open(matrix / "coverage" / "index.html")
    view = page.locator("section.overlap")
    view.scroll_into_view_if_needed()
    view.screenshot(path=str(SCREENSHOTS / "overlap.png"))
    assert (SCREENSHOTS / "overlap.png").stat().st_size > 10_000
    assert watched.errors == []


def test_trend_chart_shows_every_recorded_commit_at_its_values(recorded, watched):
    """With a three-commit history, each series of the trend has a point per commit at its recorded value."""
    entries = load_json(recorded.history)["entries"]
    assert len(entries) == 3
    page = watched.open(recorded.clone / "coverage" / "index.html")

    def points(chart: str, theme: str) -> list[dict]:
        return page.locator(f'svg.trend.{chart} circle.point[data-theme="{theme}"]').evaluate_all(
            "points => points.map(p => ({...p.dataset, title: p.querySelector('title').textContent}))"
        )

    for theme in (*THEMES, "total"):
        found = points("percent", theme)
        # A theme's line is its percent by its tests; all themes' is coverage's own.
        recorded_values = [
            e["themes"][theme]["by_tests_percent"] if theme != "total" else e["total"]["percent"]
            for e in entries
        ]
        assert [float(p["percent"]) for p in found] == recorded_values, theme
        assert [p["revision"] for p in found] == [e["revision"] for e in entries], theme
        assert all(p["revision"][:12] in p["title"] for p in found), theme
    blind = points("blind-spots", "total")
    assert [int(p["count"]) for p in blind] == [e["total"]["blind_spots"] for e in entries]
    assert {p["field"] for p in blind} == {"uncovered_lines"}
    legend = page.locator("p.trend-legend .chip").all_inner_texts()
    assert legend == [*THEMES, "all themes", "blind spots"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart = page.locator("figure.trend")
    chart.scroll_into_view_if_needed()
    page.locator('svg.trend.percent circle.point[data-theme="total"]').last.hover()
    chart.screenshot(path=str(SCREENSHOTS / "trend.png"))
    assert (SCREENSHOTS / "trend.png").stat().st_size > 10_000
    assert watched.errors == []
    assert watched.remote == []
