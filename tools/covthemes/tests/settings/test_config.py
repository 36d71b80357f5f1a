"""`covthemes.settings.config`: [tool.covthemes] parsing; each mistake is one line naming the key and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from covthemes.errors import ConfigError
from covthemes.settings import config, keys
from covthemes.settings.config import Settings
from covthemes.settings.shards import Shard


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A folder with one test file for path globs to match."""
    (tmp_path / "tests" / "gamma").mkdir(parents=True)
    (tmp_path / "tests" / "gamma" / "test_g.py").write_text("")
    (tmp_path / ".coveragerc").write_text("[run]\n")
    return tmp_path


def problems(root: Path, **table: Any) -> list[str]:
    """The problems `parse` reports for a table of two themes plus `table`."""
    with pytest.raises(ConfigError) as raised:
        config.parse(root, {"themes": ["alpha", "beta"], **table})
    return list(raised.value.problems)


def only_problem(root: Path, **table: Any) -> str:
    """The one problem `parse` reports, checked to be a single line."""
    [problem] = problems(root, **table)
    assert "\n" not in problem
    return problem


def test_parses_every_key(root: Path) -> None:
    """Every key is read into typed settings."""
    settings = config.parse(
        root,
        {
            "themes": ["alpha", "gamma"],
            "output": "out",
            "coverage-config": ".coveragerc",
            "markers": ["alpha"],
            "paths": {"gamma": ["tests/gamma/test_*.py"]},
            "thresholds": {"alpha": 75, "total": 90.5},
            "run-command": "tox -e cov-{theme}",
            "publish-command": "tox -e cov-combine",
        },
    )
    assert settings.themes == ("alpha", "gamma")
    assert settings.output == Path("out")
    assert settings.coverage_config == Path(".coveragerc")
    assert settings.marker_themes == ("alpha",)
    assert settings.paths == {"gamma": ("tests/gamma/test_*.py",)}
    assert settings.thresholds == {"alpha": 75.0, "total": 90.5}
    assert settings.rerun("beta") == "tox -e cov-beta"
    assert settings.publish_command == "tox -e cov-combine"


def test_defaults_mark_every_theme(root: Path) -> None:
    """Without `markers`, every theme is chosen by marker, and the outputs go to coverage/."""
    settings = config.parse(root, {"themes": ["alpha"]})
    assert settings.marker_themes == ("alpha",)
    assert not settings.path_only("alpha")
    assert settings.coverage_config is None
    layout = settings.layout
    assert layout.shown(layout.data_file("alpha")) == "coverage/data/.coverage.alpha"
    assert layout.shown(layout.provenance_file("alpha")) == "coverage/data/provenance.alpha.json"
    assert settings.rerun("alpha") == "covthemes run alpha"


def test_theme_files_resolve_each_themes_globs(root: Path) -> None:
    """theme_files gives each theme the absolute files its globs match, and nothing to a marker theme."""
    settings = config.parse(
        root, {"themes": ["alpha", "gamma"], "markers": ["alpha"], "paths": {"gamma": ["tests/*/test_*.py"]}}
    )
    assert settings.path_only("gamma")
    assert settings.theme_files() == {
        "alpha": frozenset(),
        "gamma": frozenset({(root / "tests" / "gamma" / "test_g.py").resolve()}),
    }


def test_rejects_unknown_key(root: Path) -> None:
    """An unknown key is named, with the keys that exist."""
    problem = only_problem(root, colour="blue")
    assert "unknown key 'colour' in [tool.covthemes]" in problem
    assert "remove it, or use one of themes, output, coverage-config" in problem


def test_misspelt_themes_key_is_named_and_no_line_offers_an_empty_choice(root: Path) -> None:
    """`theme` for `themes` suggests `themes`; the keys naming a theme then ask for it in `themes`."""
    with pytest.raises(ConfigError) as raised:
        config.parse(
            root, {"theme": ["gamma"], "paths": {"gamma": ["tests/gamma/*.py"]}, "thresholds": {"gamma": 50}}
        )
    found = raised.value.problems
    assert found[0].startswith("unknown key 'theme' in [tool.covthemes]: did you mean `themes`? Rename it")
    assert (
        "[tool.covthemes.paths] names 'gamma', which is not a theme: list it in `themes` in [tool.covthemes]"
        in found
    )
    assert all(not problem.rstrip().endswith("use one of") for problem in found)
    assert all(not problem.rstrip().endswith(":") for problem in found)


def test_rejects_missing_themes(root: Path) -> None:
    """A table without themes says how to write them."""
    with pytest.raises(ConfigError) as raised:
        config.parse(root, {})
    assert raised.value.problems == (
        '[tool.covthemes] needs `themes = ["<theme>", ...]`, a non-empty list of names: add it',
    )


@pytest.mark.parametrize("name", ["2fast", "with-dash", 3])
def test_rejects_theme_that_is_not_an_identifier(root: Path, name: object) -> None:
    """A theme that cannot be a pytest marker is named, with the characters allowed."""
    [problem] = problems(root, themes=["alpha", name])
    assert f"theme {name!r} in [tool.covthemes] themes is not an identifier" in problem
    assert "use letters, digits and underscores" in problem


def test_rejects_duplicate_theme(root: Path) -> None:
    """A theme listed twice is named once, with the fix."""
    [problem] = problems(root, themes=["alpha", "alpha"])
    assert problem == "theme 'alpha' appears twice in [tool.covthemes] themes: remove one"


def test_rejects_reserved_theme_total(root: Path) -> None:
    """`total` names all themes together in thresholds, so it cannot be a theme."""
    [problem] = problems(root, themes=["alpha", "total"])
    assert "theme name 'total' in [tool.covthemes] themes is reserved" in problem
    assert "rename it" in problem


@pytest.mark.parametrize("value", ["high", True, False, 100.5, -1, [75]])
def test_rejects_threshold_that_is_not_a_percent(root: Path, value: object) -> None:
    """A threshold that is a string, a bool or outside 0..100 is named with its value."""
    problem = only_problem(root, thresholds={"alpha": value})
    assert problem == (
        f"[tool.covthemes.thresholds] alpha = {value!r} is not a percent: write a number from 0 to 100"
    )


@pytest.mark.parametrize("value", [0, 100, 74.96])
def test_accepts_threshold_bounds(root: Path, value: float) -> None:
    """0, 100 and fractions are percents."""
    assert config.parse(root, {"themes": ["alpha"], "thresholds": {"alpha": value}}).thresholds == {
        "alpha": float(value)
    }


def test_rejects_threshold_naming_no_theme(root: Path) -> None:
    """A threshold for an unknown theme lists the themes and `total`."""
    problem = only_problem(root, thresholds={"delta": 50})
    assert problem == (
        "[tool.covthemes.thresholds] names 'delta', which is not a theme: use one of alpha, beta, total"
    )


def test_rejects_thresholds_that_are_not_a_table(root: Path) -> None:
    """`thresholds` must be a table."""
    assert only_problem(root, thresholds=75) == (
        "[tool.covthemes.thresholds] must be a table of theme = percent: fix it"
    )


def test_rejects_paths_naming_no_theme(root: Path) -> None:
    """Globs for an unknown theme are named, with the themes."""
    problem = only_problem(root, paths={"delta": ["tests/*.py"]})
    assert problem == "[tool.covthemes.paths] names 'delta', which is not a theme: use one of alpha, beta"


def test_rejects_glob_matching_no_file(root: Path) -> None:
    """A glob that matches nothing is named, with the fix."""
    problem = only_problem(root, paths={"beta": ["tests/nothing/*.py"]})
    assert problem == (
        "[tool.covthemes.paths] beta: 'tests/nothing/*.py' matches no file: correct the glob, or remove it"
    )


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("/abs/tests/*.py", "must be relative to the repository root: fix it"),
        ("../elsewhere/*.py", "must be relative to the repository root: fix it"),
        # pathlib refuses these with a traceback of its own.
        ("", "is not a glob of files: write one like 'tests/<theme>/test_*.py'"),
        (".", "is not a glob of files: write one like 'tests/<theme>/test_*.py'"),
    ],
)
def test_rejects_glob_outside_the_root_or_of_no_files(root: Path, pattern: str, reason: str) -> None:
    """An absolute glob, one climbing out with `..`, an empty one or `.` is named, with the fix."""
    problem = only_problem(root, paths={"beta": [pattern]})
    assert problem == f"[tool.covthemes.paths] beta: {pattern!r} {reason}"


@pytest.mark.parametrize("globs", ["tests/*.py", [], [1]])
def test_rejects_globs_that_are_not_a_list_of_strings(root: Path, globs: object) -> None:
    """A theme's globs must be a non-empty list of strings."""
    problem = only_problem(root, paths={"beta": globs})
    assert problem == "[tool.covthemes.paths] beta must be a non-empty list of glob strings: fix it"


def test_rejects_paths_that_are_not_a_table(root: Path) -> None:
    """`paths` must be a table."""
    assert only_problem(root, paths=["tests"]) == (
        "[tool.covthemes.paths] must be a table of theme = [globs]: fix it"
    )


def test_rejects_markers_naming_no_theme(root: Path) -> None:
    """A marker that is not a theme is named, with the themes."""
    problem = only_problem(root, markers=["alpha", "beta", "delta"])
    assert (
        problem == "`markers` in [tool.covthemes] names 'delta', which is not a theme: use one of alpha, beta"
    )


def test_rejects_markers_that_are_not_a_list(root: Path) -> None:
    """`markers` must be a list of names (and then no theme is chosen by marker)."""
    found = problems(root, markers="alpha", paths={"alpha": ["tests/*/*.py"], "beta": ["tests/*/*.py"]})
    assert found == ["`markers` in [tool.covthemes] must be a list of theme names: fix it, or remove it"]


def test_rejects_theme_chosen_neither_by_marker_nor_path(root: Path) -> None:
    """A theme with no marker and no globs would run no test: both fixes are named."""
    problem = only_problem(root, markers=["alpha"])
    assert problem == (
        "theme 'beta' is chosen neither by marker nor by path: add it to `markers` in [tool.covthemes] "
        "(which lists the themes chosen by marker; without it, every theme that has no globs), "
        "or give it globs in [tool.covthemes.paths]"
    )


def test_markers_default_to_the_themes_without_globs(root: Path) -> None:
    """Without `markers`, a theme with globs is chosen by path alone; the others by marker."""
    settings = config.parse(root, {"themes": ["alpha", "beta"], "paths": {"beta": ["tests/*/*.py"]}})
    assert settings.marker_themes == ("alpha",)
    assert settings.path_only("beta") and not settings.path_only("alpha")
    listed = config.parse(
        root, {"themes": ["alpha", "beta"], "markers": ["alpha", "beta"], "paths": {"beta": ["tests/*/*.py"]}}
    )
    assert listed.marker_themes == ("alpha", "beta")
    assert not listed.path_only("beta")


def test_shards_durations_and_the_shard_command(root: Path) -> None:
    """[tool.covthemes.shards] sets N per theme; the shard command names the theme and the shard."""
    settings = config.parse(
        root,
        {
            "themes": ["alpha", "beta"],
            "shards": {"beta": 3},
            "durations": "ci/{theme}.durations",
            "shard-command": "tox -e cov-{theme} -- --shard {shard}",
        },
    )
    assert settings.shards == {"beta": 3}
    assert settings.durations_file("beta") == Path("ci/beta.durations")
    assert settings.rerun("beta", Shard(2, 3)) == "tox -e cov-beta -- --shard 2/3"
    layout = settings.layout
    assert layout.shown(layout.data_file("beta", Shard(2, 3))) == "coverage/data/.coverage.beta.2-of-3"
    assert (
        layout.shown(layout.provenance_file("beta", Shard(2, 3)))
        == "coverage/data/provenance.beta.2-of-3.json"
    )


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"shards": {"gamma": 2}}, "[tool.covthemes.shards] names 'gamma', which is not a theme"),
        (
            {"shards": {"beta": 0}},
            "[tool.covthemes.shards] beta = 0 is not a whole number >= 1: fix it",
        ),
        (
            {"shards": {"beta": "3"}},
            "[tool.covthemes.shards] beta = '3' is not a whole number >= 1: fix it",
        ),
        (
            {"shards": []},
            "[tool.covthemes.shards] must be a table of theme = number of shards: fix it",
        ),
        (
            {"durations": "d.json"},
            "durations = 'd.json' in [tool.covthemes] has no {theme} placeholder: add one",
        ),
        (
            {"shard-command": "tox -e cov-{theme}"},
            "shard-command = 'tox -e cov-{theme}' in [tool.covthemes] has no {shard} placeholder: add one",
        ),
    ],
)
def test_rejects_bad_shard_settings(root: Path, table: dict[str, object], problem: str) -> None:
    """Each bad shard setting is one line naming the key and the fix."""
    with pytest.raises(ConfigError) as raised:
        config.parse(root, {"themes": ["alpha", "beta"], **table})
    assert raised.value.problems[0].startswith(problem)


def test_rejects_coverage_config_naming_no_file(root: Path) -> None:
    """A coverage-config that is not a file is named, with the fix."""
    problem = only_problem(root, **{"coverage-config": "missing.ini"})
    assert problem == (
        "coverage-config = 'missing.ini' in [tool.covthemes] names no file: "
        "correct the path, or remove the key"
    )


def test_rejects_run_command_without_theme_placeholder(root: Path) -> None:
    """A run-command must say where the theme goes, or error messages could not name the command."""
    problem = only_problem(root, **{"run-command": "tox -e cov"})
    assert problem == "run-command = 'tox -e cov' in [tool.covthemes] has no {theme} placeholder: add one"


def test_rejects_string_key_that_is_not_a_string(root: Path) -> None:
    """A string setting given as a number is named, with the fix."""
    assert only_problem(root, output=3) == "output = 3 in [tool.covthemes] must be a string: quote it"


def test_reports_every_problem_at_once(root: Path) -> None:
    """Each problem is its own line, all reported in one error."""
    with pytest.raises(ConfigError) as raised:
        config.parse(root, {"themes": ["alpha", "alpha"], "colour": 1, "thresholds": {"alpha": 101}})
    assert len(raised.value.problems) == 3
    assert str(raised.value) == "\n".join(raised.value.problems)


def test_load_rejects_invalid_toml(tmp_path: Path) -> None:
    """Invalid TOML names the file, the parser's complaint and the fix."""
    (tmp_path / "pyproject.toml").write_text("[tool.covthemes\n")
    with pytest.raises(ConfigError) as raised:
        config.load(tmp_path)
    [problem] = raised.value.problems
    assert problem.startswith(f"{tmp_path / 'pyproject.toml'} is not valid TOML (")
    assert problem.endswith("): fix the file")


def test_load_rejects_missing_table(tmp_path: Path) -> None:
    """A pyproject.toml without [tool.covthemes] names the file and the table to add."""
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    with pytest.raises(ConfigError) as raised:
        config.load(tmp_path)
    assert raised.value.problems == (
        f"no [tool.covthemes] table in {tmp_path / 'pyproject.toml'}: add one with "
        '`themes = ["<theme>", ...]` (see the covthemes README)',
    )


def test_load_reads_pyproject(repo: Path) -> None:
    """load reads [tool.covthemes] from the root's pyproject.toml."""
    settings = config.load(repo)
    assert isinstance(settings, Settings)
    assert settings.root == repo
    assert settings.themes == ("alpha", "beta", "gamma")
    assert settings.path_only("gamma")


def test_find_root_finds_nearest_configured_folder(repo: Path, tmp_path: Path) -> None:
    """find_root climbs to the nearest pyproject.toml with [tool.covthemes], past one without."""
    nested = repo / "tests" / "gamma"
    (nested / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert not config.configured(nested)
    assert not config.configured(tmp_path)
    assert config.find_root(nested) == repo


@pytest.mark.skipif(Path("/pyproject.toml").exists(), reason="the filesystem root has a pyproject.toml")
def test_find_root_gives_none_outside_any_repository() -> None:
    """Without a configured folder at or above, find_root gives None."""
    assert config.find_root(Path("/")) is None


@pytest.mark.parametrize("name", keys.PYTEST_MARKS)
def test_rejects_a_theme_named_like_a_pytest_mark(root: Path, name: str) -> None:
    """A theme named `skip` would be a marker that skips its tests."""
    [problem] = problems(root, themes=["alpha", name])
    assert problem == (
        f"theme name {name!r} in [tool.covthemes] themes is one of pytest's own marks, which would act on "
        "the tests it marks: rename the theme"
    )


def test_rejects_a_glob_through_a_link_out_of_the_repository(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A glob whose match lies outside the repository, through a symbolic link, is named."""
    outside = tmp_path_factory.mktemp("outside")
    (outside / "test_x.py").write_text("")
    (root / "tests" / "link").symlink_to(outside)
    problem = only_problem(root, paths={"beta": ["tests/link/*.py"]})
    assert problem == (
        f"[tool.covthemes.paths] beta: 'tests/link/*.py' matches {root / 'tests' / 'link' / 'test_x.py'}, "
        "which leads out of the repository (through a symbolic link): glob only files inside the repository"
    )


@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.ini", "link.ini"])
def test_rejects_a_coverage_config_outside_the_repository(root: Path, name: str) -> None:
    """An absolute coverage-config, one climbing out, or a link leading out, is refused by name."""
    (root / "link.ini").symlink_to("/etc/passwd")
    (root.parent / "outside.ini").write_text("[run]\n")
    problem = only_problem(root, **{"coverage-config": name})
    assert problem == (
        f"coverage-config = {name!r} in [tool.covthemes] is outside the repository: name the repository's "
        "coverage config relative to its root (`.coveragerc`, say), or remove the key"
    )
