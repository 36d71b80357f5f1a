"""`covthemes.settings.layout`: page names, coverage's own and ours, for any legal file name."""

from __future__ import annotations

import os
from pathlib import Path

from coverage.files import flat_rootname

from covthemes.settings.layout import NAME_MAX, PAGE_NAME_BYTES, Layout, coverage_page, page_name


def test_ordinary_page_names_are_coverages() -> None:
    """Up to 200 bytes, our page is named exactly as coverage.py names its own."""
    for path in ("pkg/core.py", "setup.py", "pkg/" + "b" * 150 + ".py"):
        assert page_name(path) == coverage_page(path) == flat_rootname(path) + ".html"


def test_long_page_names_keep_a_prefix_and_a_hash() -> None:
    """A longer name keeps its readable start and a hash of the whole path, so two long names differ."""
    first, second = "pkg/" + "a" * 236 + "1.py", "pkg/" + "a" * 236 + "2.py"
    assert page_name(first) != page_name(second)
    for path in (first, second):
        name = page_name(path)
        assert len(name.encode()) <= PAGE_NAME_BYTES
        assert name.startswith(flat_rootname(path)[:100]) and name.endswith(".html")


def test_long_multibyte_names_are_cut_at_a_character(tmp_path: Path) -> None:
    """A name of 3-byte characters is cut between characters, and the page can be written."""
    path = "pkg/" + "€" * 80 + ".py"
    name = page_name(path)
    assert len(name.encode()) <= PAGE_NAME_BYTES
    name.encode().decode()
    (tmp_path / name).write_text("page")
    assert os.listdir(tmp_path) == [name]


def test_coverage_has_no_page_beyond_the_file_system_limit() -> None:
    """coverage.py's page name is unbounded, so above NAME_MAX bytes it has none."""
    stem = NAME_MAX - len("z_0123456789abcdef_") - len("_py") - len(".html")
    fits = "pkg/" + "a" * stem + ".py"
    assert len(coverage_page(fits).encode()) == NAME_MAX  # type: ignore[union-attr]
    assert coverage_page("pkg/" + "a" * 237 + ".py") is None


def test_shown_paths_are_relative_to_where_the_user_stands(tmp_path: Path) -> None:
    """Messages show a path from the user's folder; records keep it relative to the root."""
    layout = Layout(tmp_path / "coverage", tmp_path, tmp_path / "pkg" / "sub")
    assert layout.shown(layout.themes_json) == "../../coverage/themes.json"
    assert layout.relative(layout.themes_json) == Path("coverage/themes.json")
    assert (
        Layout(tmp_path / "coverage", tmp_path, tmp_path).shown(layout.themes_json) == "coverage/themes.json"
    )
    assert Layout(tmp_path / "coverage", tmp_path).shown(layout.themes_json) == "coverage/themes.json"
