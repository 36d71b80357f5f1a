"""`covthemes.render.index`: index.html shows the summary's numbers, in cells named as in themes.json."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import unquote

import pytest
from helpers import HOSTILE_FOLDER, HOSTILE_PATH, Elements

from covthemes.model.themes import ThemesReport
from covthemes.render import index as html_index
from covthemes.render.safe import CONTENT_SECURITY_POLICY
from covthemes.settings.layout import page_name


@pytest.fixture
def index(themed_summary: ThemesReport) -> Elements:
    """conftest's two-theme summary rendered as index.html, parsed."""
    return Elements(html_index.render(themed_summary, "Title"))


def cells(index: Elements, field: str) -> dict[str, str]:
    """The theme table's cells of one field, by theme (or `total`); package cells have a data-package."""
    found = index.find("td", data_field=field)
    return {str(attrs["data-theme"]): text for attrs, text in found if "data-package" not in attrs}


def test_theme_table_has_the_summary_numbers(index: Elements, themed_summary: ThemesReport) -> None:
    """Each theme's row shows the summary's counts, percent, tests, line counts and threshold."""
    for name, theme in themed_summary.themes.items():
        total = theme.coverage.total
        row = {
            field: cells(index, field)[name]
            for field in (
                "status",
                "tests",
                "lines",
                "branches",
                "percent_covered_display",
                "tested_lines",
                "unique_lines",
                "import_only_lines",
            )
        }
        assert row == {
            "status": theme.status,
            "tests": str(theme.run.tests),
            "lines": f"{total.covered_lines}/{total.num_statements}",
            "branches": f"{total.covered_branches}/{total.num_branches}",
            "percent_covered_display": f"{total.display_covered()}%",
            "tested_lines": f"{theme.tested_lines()}/{total.num_statements}",
            "unique_lines": str(theme.only_this_theme.total),
            "import_only_lines": str(theme.import_only_lines.total),
        }


def test_theme_table_values_recounted(index: Elements) -> None:
    """The same cells against the hand count in conftest's themed_summary."""
    assert cells(index, "lines") == {"alpha": "5/8", "beta": "4/8", "total": "6/8"}
    assert cells(index, "tested_lines") == {"alpha": "3/8", "beta": "1/8"}
    assert cells(index, "import_only_lines") == {"alpha": "2", "beta": "3"}
    assert cells(index, "percent_covered_display") == {"alpha": "60.0%", "beta": "40.0%", "total": "70.0%"}
    assert cells(index, "threshold") == {"alpha": "35% met", "beta": "75% missed", "total": "80% missed"}
    # The headline: by its tests, (3 + 1) / 10 and 1 / 10; all themes' coverage's own, marked.
    headline = [(a["data-theme"], text) for a, text in index.find("td", data_field="by_tests")][:3]
    assert headline == [("alpha", "40.0%"), ("beta", "10.0%"), ("total", "70.0%†")]
    assert cells(index, "tested_branches") == {"alpha": "1/2", "beta": "0/2"}
    (note,) = index.find("p", **{"class": "note"})
    assert note[1].startswith("† all themes: coverage's own percent")
    assert cells(index, "uncovered_lines") == {"total": "2"}
    assert cells(index, "unique_lines") == {"alpha": "2", "beta": "1"}
    assert cells(index, "tests") == {"alpha": "3", "beta": "2", "total": "5"}
    statuses = {str(attrs["data-theme"]): text for attrs, text in index.find("span", data_field="status")}
    assert statuses == {"alpha": "alpha: passed", "beta": "beta: failed"}


def test_package_table_has_each_themes_package_percent(index: Elements, themed_summary: ThemesReport) -> None:
    """Each (theme, package) cell starts with its percent by its tests, the percent with import beside it."""
    found = {
        (str(attrs["data-theme"]), str(attrs["data-package"])): text.split("%")[0]
        for attrs, text in index.find("span", data_field="percent_covered_display")
        if "data-package" in attrs
    }
    expected = {
        (name, package): numbers.display_covered()
        for name, theme in themed_summary.themes.items()
        for package, numbers in theme.coverage.packages.items()
    }
    expected |= {("total", p): n.display_covered() for p, n in themed_summary.all_themes.packages.items()}
    assert found == expected
    assert found[("beta", "pkg")] == "40.0"
    (alpha_pkg,) = index.find("td", data_theme="alpha", data_package="pkg")
    assert alpha_pkg[0]["data-field"] == "by_tests"
    assert alpha_pkg[1].startswith(
        "40.0%3/8 lines, 1/2 branches by its tests; 2 import only, 2 only this theme; with import "
    )


def test_file_table_links_each_file_with_each_themes_percent(index: Elements) -> None:
    """Each file's row links its themed page and shows each theme's and the total's percent for it."""
    rows = {}
    for attrs, _ in index.find("tr"):
        if "data-file" in attrs:
            rows[attrs["data-file"]] = attrs
    assert sorted(rows) == ["lib/util.py", "pkg/core.py"]
    links = [attrs["href"] for attrs, _ in index.find("a") if str(attrs["href"]).startswith("files/")]
    assert links == [f"files/{page_name('lib/util.py')}", f"files/{page_name('pkg/core.py')}"]
    tested = [
        (attrs["data-theme"], text.split("%")[0]) for attrs, text in index.find("td", data_field="by_tests")
    ]
    assert tested[-2:] == [("alpha", "40.0"), ("beta", "10.0")]
    percents = [
        (attrs["data-theme"], text)
        for tag in ("span", "td")
        for attrs, text in index.find(tag, data_field="percent_covered")
    ]
    percents = sorted(percents, key=lambda p: ["alpha", "beta", "total"].index(str(p[0])))
    # lib/util.py has no statements: 100% for everyone, though beta never imported it.
    assert percents == [
        ("alpha", "100.0%"),
        ("alpha", "60.0%"),
        ("beta", "100.0%"),
        ("beta", "40.0%"),
        ("total", "100.0%"),
        ("total", "70.0%"),
    ]


def test_all_themes_row_shows_blind_spots_in_their_own_column(index: Elements) -> None:
    """The all-themes row leaves the per-theme columns empty and puts its blind spots under Blind spots."""
    (table,) = index.find("table", **{"class": "themes"})
    heads = [
        text for attrs, text in index.find("th") if text in ("Only this theme", "Import only", "Blind spots")
    ]
    assert heads == ["Import only", "Only this theme", "Blind spots"]
    rows = table[1]
    assert "all themes" in rows
    total_cells = [
        (attrs.get("data-field"), text)
        for attrs, text in index.find("td")
        if attrs.get("data-theme") == "total"
    ]
    fields = [field for field, _ in total_cells if field is not None]
    # Status, tests, by its tests (coverage's own percent), lines, branches, with import,
    # then (empty cells) blind spots, threshold.
    assert fields[:8] == [
        "status",
        "tests",
        "by_tests",
        "lines",
        "branches",
        "percent_covered_display",
        "uncovered_lines",
        "threshold",
    ]


def test_hostile_file_and_package_names_inject_nothing(hostile_summary: ThemesReport) -> None:
    """A file named `"><img src=x onerror=alert(1)>` is text and a percent-encoded link, never an element."""
    html = html_index.render(hostile_summary, "Title")
    page = Elements(html)
    assert page.find("img") == [] and page.find("b") == []
    (link,) = [attrs for attrs, text in page.find("a") if text == HOSTILE_PATH]
    assert unquote(str(link["href"])) == f"files/{page_name(HOSTILE_PATH)}"
    assert not set('"<> #?') & set(str(link["href"]))
    assert HOSTILE_PATH in [attrs.get("data-file") for attrs, _ in page.find("tr")]
    packages = [attrs.get("data-package") for attrs, _ in page.find("td", data_theme="alpha")]
    assert HOSTILE_FOLDER in packages


def test_index_carries_the_content_security_policy(index: Elements) -> None:
    """index.html forbids inline scripts with a Content-Security-Policy meta tag."""
    (csp,) = [
        attrs for attrs, _ in index.find("meta") if attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp["content"] == CONTENT_SECURITY_POLICY


def test_every_heading_has_a_tooltip_and_every_percent_a_bar(themed_summary: ThemesReport) -> None:
    """Each column heading says what it counts; each percent cell draws a bar of that percent."""
    page = html_index.render(themed_summary, "Title")
    for table in ('<table class="themes">', '<table class="packages">', '<table class="files sortable">'):
        head = page[page.index(table) :]
        headings = Elements(head[: head.index("</thead>")]).find("th")
        assert headings and all(attrs.get("title") for attrs, _ in headings), table
    alpha = themed_summary.themes["alpha"].by_tests.total.pc_covered
    cell = page[page.index('data-theme="alpha" data-field="by_tests"') :]
    cell = cell[: cell.index("</td>")]
    assert f'<rect class="pct-fill" width="{alpha / 2:.1f}" height="6"/>' in cell
    files_table = page[page.index('<table class="files sortable">') :]
    percents = files_table.count('data-field="by_tests"') + files_table.count('data-field="percent_covered"')
    assert files_table.count('class="pct"') == percents - files_table.count("<span data-theme=")


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("phases", "its contexts are each theme's two phases, import and tests"),
        ("tests", "its contexts are the tests that ran each line"),
    ],
)
def test_the_header_names_the_mode_the_core_and_what_coverages_report_lists(
    themed_summary: ThemesReport, mode: str, says: str
) -> None:
    """The header says how the themes were measured, and what coverage.py's own report lists per line."""
    themes = {
        name: replace(theme, run=replace(theme.run, contexts=mode, core=core))
        for (name, theme), core in zip(themed_summary.themes.items(), ("sysmon", "ctrace"), strict=False)
    }
    page = Elements(html_index.render(replace(themed_summary, themes=themes), "Title"))
    header = next(text for attrs, text in page.find("p") if "coverage.py's report" in text)
    assert header.startswith(f"Measured in the {mode} mode, with coverage's ctrace and sysmon core.")
    assert f"coverage.py's report: {says}" in header
