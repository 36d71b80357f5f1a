"""`covthemes.render.pages`: a file's themed page, with its data-* hooks on every statement line.

The page of SOURCE below, for themes alpha, beta and gamma, with contexts
chosen so each line is one case:

- line 1: alpha and beta, each only at import;
- line 2: blank, not a statement;
- line 3: beta by a test, alpha only at import;
- line 4: alpha by a test, and no other theme: unique to alpha;
- line 5: beta only at import, and no other theme: unique to beta;
- line 6: no theme: a blind spot;
- line 7: a comment, not a statement.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from helpers import HOSTILE_PATH, Elements

from covthemes.model.lines import LineThemes
from covthemes.render import pages as html_pages
from covthemes.render.safe import CONTENT_SECURITY_POLICY
from covthemes.settings.layout import Layout, coverage_page

THEMES = ("alpha", "beta", "gamma")
SOURCE = """\
import os

def f():
    return 1 < 2
x = f()
y = 2
# the end
"""
CONTEXTS = {
    1: ["alpha", "beta"],
    3: ["alpha", "beta|t::b|run"],
    4: ["alpha|t::a|run"],
    5: ["beta"],
}
LINES = LineThemes.of({"executed_lines": [1, 3, 4, 5], "missing_lines": [6]}, CONTEXTS, frozenset(THEMES))
# Each statement line's hooks, counted from the cases above.
EXPECTED = {
    1: {"data-themes": "", "data-import-only": "alpha beta"},
    3: {"data-themes": "beta", "data-import-only": "alpha"},
    4: {"data-themes": "alpha", "data-import-only": "", "data-unique": "alpha"},
    5: {"data-themes": "", "data-import-only": "beta", "data-unique": "beta"},
    6: {"data-themes": "", "data-import-only": "", "data-blind": None},
}
HOOKS = ("data-themes", "data-import-only", "data-unique", "data-blind")


def page() -> Elements:
    """SOURCE's themed page, parsed."""
    return Elements(html_pages.render("pkg/core.py", SOURCE, LINES, THEMES, "Themed coverage", "phases"))


def test_every_line_has_an_id_and_its_source() -> None:
    """Each source line is a row `L<n>` holding its number and its text, escaped."""
    rows = page().find("tr")
    assert [attrs["id"] for attrs, _ in rows] == [f"L{n}" for n in range(1, 8)]
    codes = [text for _, text in page().find("code")]
    assert codes == ["import os", " ", "def f():", "    return 1 < 2", "x = f()", "y = 2", "# the end"]


def test_statement_lines_carry_their_themes() -> None:
    """Every statement row has data-line and exactly the hooks its contexts call for."""
    found = {}
    for attrs, _ in page().find("tr"):
        if "data-line" in attrs:
            assert attrs["id"] == f"L{attrs['data-line']}"
            found[int(str(attrs["data-line"]))] = {k: v for k, v in attrs.items() if k in HOOKS}
    assert found == EXPECTED


def test_lines_that_are_not_statements_have_no_hooks() -> None:
    """A blank line and a comment get a row, but no data-* hook and no mark."""
    for number in (2, 7):
        ((attrs, _),) = page().find("tr", id=f"L{number}")
        assert attrs == {"class": "line", "id": f"L{number}"}


def test_blind_and_unique_lines_are_marked() -> None:
    """The blind line has the blind class and mark; a unique line has the star naming its theme."""
    ((blind, blind_text),) = page().find("tr", id="L6")
    assert blind["class"] == "line stmt blind"
    assert "blind spot" in blind_text
    stars = page().find("span", **{"class": "mark-unique"})
    titles = [attrs.get("title") for attrs, _ in stars]
    assert titles == [None, "only alpha runs this line", "only beta runs this line"]  # legend first


def test_import_only_chips_are_outlined() -> None:
    """Line 3 has a filled chip for beta (its tests) and an outlined one for alpha (import only)."""
    titles = [str(attrs.get("title")) for attrs, _ in page().find("span")]
    chips = [title for title in titles if title.startswith(("alpha:", "beta:", "gamma:"))]
    assert chips == [
        "alpha: run only at import",
        "beta: run only at import",  # line 1
        "beta: run by its tests",
        "alpha: run only at import",  # line 3
        "alpha: run by its tests",  # line 4
        "beta: run only at import",  # line 5
    ]


BRANCHY = """\
class C:
    def g(self, x):
        if x:
            return 1
        while x:
            x -= 1
"""


def branchy_page() -> Elements:
    """BRANCHY's page: line 3 never went to 4; line 5 never entered its loop nor left the method."""
    lines = LineThemes.of(
        {
            "executed_lines": [1, 2, 3, 5],
            "missing_lines": [4, 6],
            "missing_branches": [[5, -2], [5, 6], [3, 4]],
        },
        {1: ["alpha"], 2: ["alpha"], 3: ["alpha|t::a|run"], 5: ["alpha|t::a|run"]},
        frozenset(THEMES),
    )
    return Elements(html_pages.render("pkg/c.py", BRANCHY, lines, THEMES, "Themed coverage", "phases"))


def test_a_line_with_a_missing_branch_is_partial_and_says_where_it_goes() -> None:
    """`data-partial` and a mark name each destination no theme took: line numbers first, then `exit`."""
    ((three, three_text),) = branchy_page().find("tr", id="L3")
    ((five, five_text),) = branchy_page().find("tr", id="L5")
    assert (three["data-partial"], five["data-partial"]) == ("4", "6, exit")
    assert three["class"] == five["class"] == "line stmt partial"
    assert "→ 4" in three_text and "→ 6, exit" in five_text
    assert "data-partial" not in branchy_page().find("tr", id="L2")[0][0]


def test_each_statement_names_its_enclosing_def_or_class() -> None:
    """`data-scope` is the innermost enclosing `def` or `class` line; a top-level line has none."""
    scopes = {
        attrs["id"]: attrs.get("data-scope") for attrs, _ in branchy_page().find("tr") if "data-line" in attrs
    }
    assert scopes == {"L1": None, "L2": "1", "L3": "2", "L4": "2", "L5": "2", "L6": "2"}
    assert html_pages.enclosing_scopes("def broken(:\n") == {}


def test_a_page_can_say_no_line_matches() -> None:
    """The page holds a hidden `no line matches` note that the script shows for an empty filter."""
    ((note, text),) = page().find("p", **{"class": "no-match"})
    assert "hidden" in note and text == "no line matches"


def test_filter_offers_all_each_theme_only_each_theme_and_none() -> None:
    """The theme filter's options, in order: all, each theme, only:<theme> for each, none."""
    (select,) = page().find("select")
    assert select[0]["name"] == "theme"
    values = [attrs["value"] for attrs, _ in page().find("option")]
    assert values == ["all", "alpha", "beta", "gamma", "only:alpha", "only:beta", "only:gamma", "none"]


def test_counts_and_links() -> None:
    """The header counts each theme's lines; line numbers link to coverage.py's page of the file."""
    ((_, counts),) = page().find("p", **{"class": "counts"})
    assert counts == (
        "5 statements · alpha 1 by tests, 2 only at import, 1 only it · "
        "beta 1 by tests, 2 only at import, 1 only it · "
        "gamma 0 by tests, 0 only at import, 0 only it · 1 blind spots"
    )
    links = [attrs["href"] for attrs, text in page().find("a") if text == "4"]
    assert links == [f"../html/{html_pages.page_name('pkg/core.py')}#t4"]
    (title,) = page().find("title")
    assert title[1] == "pkg/core.py · Themed coverage"


def test_write_pages_writes_a_page_per_file_and_the_assets(tmp_path: Path) -> None:
    """Each file gets its page, named as coverage.py names its own, next to the stylesheet and script."""
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "core.py").write_text(SOURCE)
    folder = Layout(tmp_path / "out").pages
    html_pages.write_pages(tmp_path, folder, {"pkg/core.py": LINES}, THEMES, "Title", "phases")
    name = html_pages.page_name("pkg/core.py")
    assert {p.name for p in folder.iterdir()} == {name, "report.css", "report.js"}
    written = (folder / name).read_text()
    assert written == html_pages.render("pkg/core.py", SOURCE, LINES, THEMES, "Title", "phases")


def test_hostile_file_name_is_text_and_an_encoded_link() -> None:
    """A file named `"><img src=x onerror=alert(1)>` injects no element; links decode to coverage's page."""
    hostile = Elements(html_pages.render(HOSTILE_PATH, SOURCE, LINES, THEMES, "Themed coverage", "phases"))
    assert hostile.find("img") == [] and hostile.find("b") == []
    (title,) = hostile.find("title")
    assert title[1] == f"{HOSTILE_PATH} · Themed coverage"
    links = [str(attrs["href"]) for attrs, text in hostile.find("a") if text != "Themed coverage"]
    assert [unquote(link) for link in links[:2]] == [
        f"../html/{coverage_page(HOSTILE_PATH)}",
        f"../html/{coverage_page(HOSTILE_PATH)}#t1",
    ]
    assert not any(set('"<> ?') & set(link) for link in links)


def test_no_link_to_a_coverage_page_that_cannot_exist() -> None:
    """For a name too long for coverage's own page, line numbers are plain and the header says why."""
    path = "pkg/" + "a" * 237 + ".py"
    assert coverage_page(path) is None
    long = Elements(html_pages.render(path, SOURCE, LINES, THEMES, "Themed coverage", "phases"))
    assert [attrs["href"] for attrs, _ in long.find("a")] == ["../index.html"]
    ((_, number),) = [(a, t) for a, t in long.find("td", **{"class": "num"})][3:4]
    assert number == "4"
    assert any("coverage.py has no page for this file" in text for _, text in long.find("span"))


def test_page_carries_the_content_security_policy() -> None:
    """A themed page forbids inline scripts with a Content-Security-Policy meta tag."""
    (csp,) = [
        attrs for attrs, _ in page().find("meta") if attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp["content"] == CONTENT_SECURITY_POLICY
