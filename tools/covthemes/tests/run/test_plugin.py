"""`covthemes.run.plugin`: theme markers, themes by path, the unthemed-test guard and theme selection."""

from __future__ import annotations

import pytest
from helpers import PYTEST_TABLE, make_repo, write_pyproject


@pytest.fixture
def themed(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester whose folder is the tiny themed repository."""
    make_repo(pytester.path)
    return pytester


def test_registers_a_marker_per_marker_theme(themed: pytest.Pytester) -> None:
    """Each theme chosen by marker is a registered marker; a path-only theme is not."""
    result = themed.runpytest("--markers")
    result.stdout.fnmatch_lines(
        [
            "@pytest.mark.alpha: a test of the covthemes theme 'alpha'",
            "@pytest.mark.beta: a test of the covthemes theme 'beta'",
        ]
    )
    assert "mark.gamma" not in result.stdout.str()


def test_runs_every_themed_test_without_selection(themed: pytest.Pytester) -> None:
    """Without --covthemes-theme, every test runs."""
    themed.runpytest().assert_outcomes(passed=3)


# A marker theme collects everything and deselects the rest; a path-only theme
# never collects the files outside its globs, so it deselects nothing.
@pytest.mark.parametrize(
    ("theme", "kept", "deselected"),
    [("alpha", "tests/test_alpha.py::test_alpha", 2), ("gamma", "tests/gamma/test_gamma.py::test_gamma", 0)],
)
def test_theme_option_keeps_only_that_themes_tests(
    themed: pytest.Pytester, theme: str, kept: str, deselected: int
) -> None:
    """--covthemes-theme keeps the theme's tests, by marker or by path, and leaves out the rest."""
    result = themed.runpytest("--covthemes-theme", theme, "-v")
    result.assert_outcomes(passed=1, deselected=deselected)
    result.stdout.fnmatch_lines([f"{kept} PASSED*"])


def test_test_with_marker_and_path_belongs_to_both(themed: pytest.Pytester) -> None:
    """A marked test in a path theme's file runs in both themes."""
    (themed.path / "tests" / "gamma" / "test_both.py").write_text(
        "import pytest\n\n\n@pytest.mark.beta\ndef test_both():\n    pass\n"
    )
    themed.runpytest("--covthemes-theme", "beta").assert_outcomes(passed=2, deselected=2)
    themed.runpytest("--covthemes-theme", "gamma").assert_outcomes(passed=2)


def test_unthemed_tests_fail_collection_by_name(themed: pytest.Pytester) -> None:
    """A test of no theme fails the whole run, named, with both ways to give it a theme."""
    (themed.path / "tests" / "test_plain.py").write_text(
        "def test_one():\n    pass\n\n\ndef test_two():\n    pass\n"
    )
    result = themed.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: 2 test(s) belong to no covthemes theme, so no themed run would measure them; "
            "mark their module with `pytestmark = pytest.mark.<theme>` (one of: alpha, beta) or match "
            "their file with a glob in [tool.covthemes.paths]:",
            "  tests/test_plain.py::test_one",
            "  tests/test_plain.py::test_two",
        ]
    )


def test_unknown_theme_is_a_usage_error(themed: pytest.Pytester) -> None:
    """An unknown --covthemes-theme names the themes."""
    result = themed.runpytest("--covthemes-theme", "delta")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: covthemes: --covthemes-theme 'delta' is not a theme: choose one of alpha, beta, gamma"]
    )


def test_config_error_is_a_usage_error(themed: pytest.Pytester) -> None:
    """A broken [tool.covthemes] stops pytest with the config problem."""
    write_pyproject(themed.path, covthemes='[tool.covthemes]\nthemes = ["total"]\n')
    result = themed.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == (
        "ERROR: covthemes: theme name 'total' in [tool.covthemes] themes is reserved for all themes "
        "together: rename it"
    )


def test_inert_without_covthemes_table(pytester: pytest.Pytester) -> None:
    """Without [tool.covthemes], unmarked tests run and no marker is added."""
    (pytester.path / "pyproject.toml").write_text(PYTEST_TABLE)
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    pytester.runpytest().assert_outcomes(passed=1)
    assert "covthemes theme" not in pytester.runpytest("--markers").stdout.str()


def test_theme_option_without_covthemes_table(pytester: pytest.Pytester) -> None:
    """--covthemes-theme outside a themed repository says what to add."""
    (pytester.path / "pyproject.toml").write_text(PYTEST_TABLE)
    result = pytester.runpytest("--covthemes-theme", "alpha")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == (
        "ERROR: covthemes: --covthemes-theme needs [tool.covthemes] in "
        f"{pytester.path / 'pyproject.toml'}: add it"
    )


def test_disabled_with_no_covthemes(themed: pytest.Pytester) -> None:
    """`-p no:covthemes` turns the plugin off: unmarked tests are fine."""
    (themed.path / "tests" / "test_plain.py").write_text("def test_one():\n    pass\n")
    themed.runpytest("-p", "no:covthemes", "-p", "no:cov").assert_outcomes(passed=4)


PATHS_ONLY = """\
[tool.covthemes]
themes = ["fast", "slow"]

[tool.covthemes.paths]
fast = ["tests/test_alpha.py", "tests/test_beta.py"]
slow = ["tests/gamma/*.py"]
"""


def test_without_marker_themes_the_guard_asks_for_a_glob(themed: pytest.Pytester) -> None:
    """With no theme chosen by marker, the fix offered is a glob, and how to choose a theme by marker."""
    write_pyproject(themed.path, PATHS_ONLY)
    (themed.path / "tests" / "test_plain.py").write_text("def test_one():\n    pass\n")
    result = themed.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    text = result.stderr.str()
    assert "one of: none" not in text
    assert (
        "match their file with a glob in [tool.covthemes.paths] (no theme is chosen by marker: to choose "
        "one, list it in `markers` in [tool.covthemes] and mark the module with "
        "`pytestmark = pytest.mark.<theme>`):"
    ) in text


def test_a_path_themes_run_adds_no_test_a_plain_pytest_would_not_collect(themed: pytest.Pytester) -> None:
    """A helper module its glob matches is not collected: a theme's run has what plain pytest has, no more."""
    write_pyproject(themed.path, PATHS_ONLY)
    (themed.path / "tests" / "gamma" / "helpers.py").write_text("def test_lookalike():\n    pass\n")
    plain = themed.runpytest("--collect-only", "-q", "tests/gamma")
    plain.stdout.fnmatch_lines(["tests/gamma/test_gamma.py::test_gamma", "1 test collected*"])
    themed.runpytest("--covthemes-theme", "slow").assert_outcomes(passed=1)
    themed.runpytest("--covthemes-theme", "fast").assert_outcomes(passed=2)
