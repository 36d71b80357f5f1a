"""`covthemes.render.overlap`: the theme-overlap view puts each statement in one bar, recounted by hand.

LISTING below has two files and three themes, with contexts chosen so each
statement is one case; EXPECTED is its hand count, bar by bar.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from helpers import HOSTILE_PATH, Elements

from covthemes.model.lines import LineListing
from covthemes.render import index as html_index
from covthemes.render import overlap
from covthemes.render.safe import CONTENT_SECURITY_POLICY
from covthemes.settings.layout import PAGES, page_name

THEMES = ("alpha", "beta", "gamma")
# pkg/a.py: 1 alpha and beta at import only; 2 beta's test, alpha at import; 3 alpha's and gamma's
# tests; 4 alpha's test; 5 gamma at import only; 6 not run (a blind spot); 7 all three themes' tests.
# pkg/b.py: 1 gamma and alpha by tests; 2 beta's test; 3 a blind spot; 4 an unknown theme's
# test only: no configured theme ran it, so a blind spot too; 5 alpha at import only.
A_CONTEXTS = {
    1: ["alpha", "beta"],
    2: ["alpha", "beta|t::b|run"],
    3: ["alpha|t::a|run", "gamma|t::g|setup", "gamma"],
    4: ["alpha|t::a|run"],
    5: ["gamma"],
    7: ["alpha|t::a|run", "beta|t::b|run", "gamma|t::g|run"],
}
B_CONTEXTS = {
    1: ["gamma|t::g|run", "alpha|t::a2|run"],
    2: ["beta|t::b|call"],
    4: ["other|t::o|run"],
    5: ["alpha"],
}
EXPECTED = {
    "import": {"pkg/a.py": [1, 5], "pkg/b.py": [5]},
    "beta": {"pkg/a.py": [2], "pkg/b.py": [2]},
    "alpha+gamma": {"pkg/a.py": [3], "pkg/b.py": [1]},
    "none": {"pkg/a.py": [6], "pkg/b.py": [3, 4]},
    "alpha": {"pkg/a.py": [4]},
    "alpha+beta+gamma": {"pkg/a.py": [7]},
}


def entry(executed: Sequence[int], missing: Sequence[int]) -> dict[str, Any]:
    return {"executed_lines": list(executed), "missing_lines": list(missing)}


def listing_of(files: Mapping[str, tuple[dict[str, Any], Mapping[int, list[str]]]]) -> LineListing:
    report = {"files": {path: e for path, (e, _) in files.items()}}
    return LineListing.of(report, {path: c for path, (_, c) in files.items()}, THEMES)


LISTING = listing_of(
    {
        "pkg/a.py": (entry([1, 2, 3, 4, 5, 7], [6]), A_CONTEXTS),
        "pkg/b.py": (entry([1, 2, 4, 5], [3]), B_CONTEXTS),
    }
)


def rows(html: str) -> dict[str, dict[str, Any]]:
    """Each bar's row by data-themes: its data-statements and the lines its details link to, by file."""
    page = Elements(html)
    found: dict[str, dict[str, Any]] = {}
    current: dict[str, list[int]] = {}
    for tag, attrs, _ in page.elements:
        if tag == "tr" and "data-themes" in attrs:
            current = {}
            found[str(attrs["data-themes"])] = {"statements": attrs["data-statements"], "lines": current}
        if tag == "a" and "#L" in str(attrs.get("href")):
            target, line = unquote(str(attrs["href"])).rsplit("#L", 1)
            current.setdefault(target, []).append(int(line))
    return found


def test_every_statement_is_in_exactly_one_bar() -> None:
    """The bars add up to the statements, and no statement is in two bars."""
    found = overlap.bars(LISTING.files)
    placed = [(path, line) for bar in found for path, lines in bar.lines.items() for line in lines]
    statements = [(path, line) for path, lines in LISTING.files.items() for line in lines.statements]
    assert sorted(placed) == sorted(statements)
    assert sum(bar.statements for bar in found) == len(statements) == 12


def test_bars_equal_the_hand_count() -> None:
    """Each bar holds exactly the hand-counted statements, and the bars are sorted by size."""
    found = overlap.bars(LISTING.files)
    assert {bar.key: bar.lines for bar in found} == EXPECTED
    assert [bar.statements for bar in found] == sorted((bar.statements for bar in found), reverse=True)


def test_bars_equal_an_independent_recount() -> None:
    """Each bar's count equals a recount from the contexts: the themes of the contexts with a `|`."""
    recount: dict[str, int] = {}
    for path, (executed, missing, contexts) in {
        "pkg/a.py": ([1, 2, 3, 4, 5, 7], [6], A_CONTEXTS),
        "pkg/b.py": ([1, 2, 4, 5], [3], B_CONTEXTS),
    }.items():
        for line in [*executed, *missing]:
            names = [c for c in contexts.get(line, []) if c.split("|")[0] in THEMES]
            tests = sorted({c.split("|")[0] for c in names if "|" in c})
            key = "+".join(tests) if tests else ("import" if names else "none")
            recount[key] = recount.get(key, 0) + 1
        assert path in LISTING.files
    assert {bar.key: bar.statements for bar in overlap.bars(LISTING.files)} == recount


def test_rows_carry_data_themes_data_statements_and_line_links() -> None:
    """Each row's data-themes is its key, data-statements its count; its links reach each line's anchor."""
    found = rows(overlap.section(THEMES, LISTING))
    assert list(found) == [bar.key for bar in overlap.bars(LISTING.files)]
    for key, lines in EXPECTED.items():
        assert found[key]["statements"] == str(sum(len(v) for v in lines.values()))
        assert found[key]["lines"] == {f"{PAGES}/{page_name(path)}": v for path, v in lines.items()}


def test_dots_mark_the_themes_of_each_bar() -> None:
    """A filled dot in a theme's column exactly when the bar's themes include it; none for import and none."""
    page = Elements(overlap.section(THEMES, LISTING))
    marked: dict[str, list[str]] = {}
    key = ""
    for tag, attrs, text in page.elements:
        if tag == "tr" and "data-themes" in attrs:
            key = str(attrs["data-themes"])
            marked[key] = []
        if tag == "td" and key and str(attrs.get("class")).startswith("dot"):
            marked[key].append("".join(text))
    assert marked["alpha+gamma"] == ["●", "○", "●"]
    assert marked["alpha+beta+gamma"] == ["●"] * 3
    assert marked["import"] == marked["none"] == ["○"] * 3


def test_every_heading_and_figure_says_what_it_counts() -> None:
    """Each column heading and row cell has a title; the legend names import only and the blind spots."""
    page = Elements(overlap.section(THEMES, LISTING))
    headings = [attrs for tag, attrs, _ in page.elements if tag == "th" and attrs.get("scope") != "row"]
    assert len(headings) == len(THEMES) + 4
    assert all(attrs.get("title") for attrs in headings)
    assert all(attrs.get("title") for attrs, _ in page.find("td"))
    legend = page.find("p", **{"class": "overlap-legend"})[0][1]
    assert "import only" in legend and "blind spots" in legend and "12 statements" in legend


def test_labels_use_the_house_names() -> None:
    """Rows are labelled with the themes, `all themes`, `import only` and `blind spots`."""
    page = Elements(overlap.section(THEMES, LISTING))
    labels = [text for _, text in page.find("th", scope="row")]
    assert labels == ["import only", "blind spots", "alpha + gamma", "beta", "alpha", "all themes"]


def test_hostile_file_names_are_escaped_in_the_line_lists() -> None:
    """A file named to break out of HTML shows as text, and its links percent-encode the page name."""
    listing = listing_of({HOSTILE_PATH: (entry([1], [2]), {1: ["alpha|t::a|run"]})})
    html = overlap.section(THEMES, listing)
    page = Elements(html)
    assert page.find("img") == []
    assert [text for _, text in page.find("code")] == [HOSTILE_PATH, HOSTILE_PATH]
    links = [str(attrs["href"]) for attrs, _ in page.find("a")]
    assert {unquote(link) for link in links} == {
        f"{PAGES}/{page_name(HOSTILE_PATH)}#L1",
        f"{PAGES}/{page_name(HOSTILE_PATH)}#L2",
    }
    assert all('"' not in link and "<" not in link and " " not in link for link in links)
    assert "<img" not in html


def test_no_listing_no_section() -> None:
    """Without the listing's files (a listing read back from lines.json) the index has no overlap view."""
    assert overlap.section(THEMES, None) == ""
    assert overlap.section(THEMES, LineListing({}, {}, {}, {})) == ""


def test_index_places_the_view_without_inline_script_or_style(themed_summary: Any) -> None:
    """index.html shows the view when given the listing, and still only script and style from files."""
    listing = listing_of({"pkg/core.py": (entry([1], [2]), {1: ["alpha|t::a|run"]})})
    page = html_index.render(themed_summary, "Title", None, listing)
    parsed = Elements(page)
    assert [a["data-themes"] for a, _ in parsed.find("tr") if "data-themes" in a] == ["alpha", "none"]
    assert CONTENT_SECURITY_POLICY in page
    assert re.search(r"<[^>]*\s(style|on\w+)=", page) is None
    assert all(a.get("src") for a, _ in parsed.find("script"))
