"""`covthemes.model.lines`: which themes ran each statement, through their tests or only at import."""

from __future__ import annotations

from covthemes.model.lines import LineListing, LineThemes, theme_of

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
    assert lines.statements == (1, 2, 3, 4, 5)
    assert lines.blind_spots == (4, 5)
    assert lines.ran == {1: frozenset(THEMES), 2: frozenset({"alpha"})}
    # Line 1: alpha only at import (bare context), beta by a test.
    assert lines.tested == {1: frozenset({"beta"}), 2: frozenset({"alpha"})}
    assert lines.only_this_theme("alpha") == [2]
    assert lines.only_this_theme("beta") == []


def test_bare_theme_context_is_import_only() -> None:
    """A line whose only context is the bare `alpha` is import-only for alpha, not run by its tests."""
    lines = LineThemes.of({"executed_lines": [7], "missing_lines": []}, {7: ["alpha"]}, frozenset(THEMES))
    assert lines.themes_at_import_only(7) == {"alpha"}
    assert lines.themes_by_tests(7) == frozenset()
    assert lines.import_only("alpha") == [7]
    assert lines.import_only("beta") == []


def test_test_context_is_by_tests_even_with_an_import_context() -> None:
    """A line that `alpha|t::x|run` ran is alpha's by tests, whether or not import ran it too."""
    contexts = {1: ["alpha|t::x|run"], 2: ["alpha", "alpha|t::x|run"]}
    lines = LineThemes.of({"executed_lines": [1, 2], "missing_lines": []}, contexts, frozenset(THEMES))
    for line in (1, 2):
        assert lines.themes_by_tests(line) == {"alpha"}
        assert lines.themes_at_import_only(line) == frozenset()
    assert lines.import_only("alpha") == []


def test_unmeasured_and_missing_lines_have_no_themes() -> None:
    """A missing statement, or one no known theme ran, is neither by tests nor import-only."""
    contexts = {1: ["other|t::x|run"]}
    lines = LineThemes.of({"executed_lines": [1], "missing_lines": [2]}, contexts, frozenset(THEMES))
    for line in (1, 2, 99):
        assert lines.themes_by_tests(line) == frozenset()
        assert lines.themes_at_import_only(line) == frozenset()


def test_line_listing_lists_unique_import_only_and_uncovered_lines() -> None:
    """lines.json lists, per theme, the lines only it ran and those it ran only at import; and blind lines."""
    report = {
        "files": {
            "pkg/a.py": {"executed_lines": [1, 2, 3, 5], "missing_lines": [4]},
            "pkg/b.py": {"executed_lines": [1], "missing_lines": []},
        }
    }
    contexts = {
        "pkg/a.py": {
            1: ["alpha", "beta"],
            2: ["alpha|t::a|run"],
            3: ["beta|t::b|run"],
            5: ["alpha", "beta|t::b|run"],
        },
    }
    hashes = {"pkg/a.py": "a" * 64, "pkg/b.py": "b" * 64}
    listing = LineListing.of(report, contexts, THEMES, hashes)
    assert set(listing.files) == {"pkg/a.py", "pkg/b.py"}
    assert listing.files["pkg/b.py"].ran == {}
    assert listing.only_this_theme == {"alpha": {"pkg/a.py": [2]}, "beta": {"pkg/a.py": [3]}}
    # Line 1: both at import only; line 5: alpha at import, beta by a test.
    assert listing.import_only == {"alpha": {"pkg/a.py": [1, 5]}, "beta": {"pkg/a.py": [1]}}
    assert listing.blind_spots == {"pkg/a.py": [4]}
    # Format 2 added each measured file's SHA-256, as the publish read it.
    assert listing.to_json() == {
        "format": 2,
        "unique_lines": {"alpha": {"pkg/a.py": [2]}, "beta": {"pkg/a.py": [3]}},
        "import_only_lines": {"alpha": {"pkg/a.py": [1, 5]}, "beta": {"pkg/a.py": [1]}},
        "uncovered_lines": {"pkg/a.py": [4]},
        "measured_files": hashes,
    }
    assert LineListing.from_json(listing.to_json()).measured == hashes


def test_missing_branches_make_a_line_partial() -> None:
    """coverage's `missing_branches` group by their source line, exits (negative) last."""
    entry = {"executed_lines": [2], "missing_lines": [], "missing_branches": [[2, -1], [2, 9], [2, 4]]}
    lines = LineThemes.of(entry, {}, frozenset({"alpha"}))
    assert lines.partial == {2: (4, 9, -1)}
    assert LineThemes.of({"executed_lines": [2], "missing_lines": []}, {}, frozenset()).partial == {}
