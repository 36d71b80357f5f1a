"""`covthemes.lines`: which themes ran each statement, from the contexts."""

from __future__ import annotations

from covthemes.lines import LineListing, LineThemes, theme_of

THEMES = ("alpha", "beta")


def test_theme_of_is_the_text_before_the_first_bar() -> None:
    """A test context and a bare static context both give their theme."""
    assert theme_of("alpha|tests/t.py::test_x|run") == "alpha"
    assert theme_of("beta") == "beta"
    assert theme_of("") == ""


def test_line_themes_keep_only_known_themes() -> None:
    """A line run only under an unknown or empty context has no theme."""
    entry = {"executed_lines": [1, 2, 3], "missing_lines": [5, 4]}
    contexts = {1: ["alpha", "beta|t::x|run"], 2: ["alpha|t::y|call"], 3: ["", "other"]}
    lines = LineThemes.of(entry, contexts, frozenset(THEMES))
    assert lines.missing == (4, 5)
    assert lines.themes == {1: frozenset(THEMES), 2: frozenset({"alpha"})}
    assert lines.only("alpha") == [2]
    assert lines.only("beta") == []


def test_line_listing_lists_unique_and_uncovered_lines() -> None:
    """lines.json lists, per theme, the lines only it ran, and the lines no theme ran."""
    report = {
        "files": {
            "pkg/a.py": {"executed_lines": [1, 2, 3], "missing_lines": [4]},
            "pkg/b.py": {"executed_lines": [1], "missing_lines": []},
        }
    }
    contexts = {
        "pkg/a.py": {1: ["alpha", "beta"], 2: ["alpha|t::a|run"], 3: ["beta|t::b|run"]},
    }
    listing = LineListing.of(report, contexts, THEMES)
    assert listing.unique == {"alpha": {"pkg/a.py": [2]}, "beta": {"pkg/a.py": [3]}}
    assert listing.uncovered == {"pkg/a.py": [4]}
    assert listing.to_json() == {
        "format": 1,
        "unique_lines": listing.unique,
        "uncovered_lines": listing.uncovered,
    }
