"""`covthemes.settings.unmeasured`: test files pytest collects that no theme selects, refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_pyproject

from covthemes.errors import ConfigError
from covthemes.settings import config, unmeasured

PATHS_ONLY = """\
[tool.covthemes]
themes = ["fast", "slow"]

[tool.covthemes.paths]
fast = ["tests/test_alpha.py"]
slow = ["tests/gamma/test_*.py"]
"""


def test_every_theme_by_path_names_the_test_files_no_glob_matches(repo: Path) -> None:
    """With every theme chosen by path, a collected test file outside all globs is named, with both fixes."""
    write_pyproject(repo, PATHS_ONLY)
    settings = config.load(repo)
    assert unmeasured.unselected(settings) == [Path("tests/test_beta.py")]
    with pytest.raises(ConfigError) as raised:
        unmeasured.check(settings)
    assert raised.value.problems == (
        "1 test file(s) that pytest collects belong to no theme, so no themed run would measure them "
        "(tests/test_beta.py): add a glob matching them to [tool.covthemes.paths], or mark their tests "
        "(`pytestmark = pytest.mark.<theme>`) and list the theme in `markers` in [tool.covthemes]",
    )


def test_long_lists_are_cut(repo: Path) -> None:
    """Past five files, the line counts the rest."""
    write_pyproject(repo, PATHS_ONLY)
    for n in range(6):
        (repo / "tests" / f"test_more{n}.py").write_text("")
    problem = unmeasured.problem(config.load(repo))
    assert problem is not None and problem.startswith("7 test file(s)") and " and 2 more)" in problem


def test_a_marker_theme_leaves_the_judgement_to_collection(repo: Path) -> None:
    """A marker theme's tests may be in any file: no file is refused from the files alone."""
    (repo / "tests" / "test_plain.py").write_text("def test_plain():\n    pass\n")
    settings = config.load(repo)
    assert unmeasured.unselected(settings) == []
    unmeasured.check(settings)


def test_files_outside_pytests_roots_are_not_tests(repo: Path) -> None:
    """Only what pytest would collect counts: a test module outside `testpaths` is not one."""
    write_pyproject(
        repo, PATHS_ONLY.replace('"tests/test_alpha.py"', '"tests/test_alpha.py", "tests/test_beta.py"')
    )
    (repo / "scripts").mkdir()
    (repo / "scripts" / "test_tool.py").write_text("")
    assert unmeasured.unselected(config.load(repo)) == []
