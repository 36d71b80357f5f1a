"""`covthemes.settings.coverage_config`: the coverage settings covthemes needs, in each syntax; `source`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from coverage import Coverage
from helpers import COVERAGE_TABLES, COVTHEMES_TABLE, write_pyproject

from covthemes.errors import ConfigError
from covthemes.settings import config, coverage_config, sources
from covthemes.settings.config import Settings
from covthemes.settings.coverage_config import CoverageSettings

INI = """\
[{prefix}run]
branch = True
relative_files = True
context = ${{COVERAGE_CONTEXT-}}
source = pkg

[{prefix}html]
show_contexts = True

[{prefix}json]
show_contexts = True
"""


def problems_of(settings: Settings) -> tuple[str, ...]:
    with pytest.raises(ConfigError) as raised:
        coverage_config.check(settings)
    return raised.value.problems


def test_check_accepts_complete_toml_config(settings: Settings, repo: Path) -> None:
    """The tiny repository's [tool.coverage.*] has everything; check returns what the tool uses of it."""
    checked = coverage_config.check(settings)
    assert checked == CoverageSettings(
        config_file=repo / "pyproject.toml",
        source_folders=(Path("pkg"),),
        precision=1,
        html_title="Coverage report",
        json_contexts=True,
        json_pretty_print=False,
        config_sha256=checked.config_sha256,
    )
    assert len(checked.config_sha256) == 64


def test_check_names_missing_setting_in_toml_syntax(repo: Path) -> None:
    """A setting missing from pyproject.toml is named with its TOML line and table."""
    write_pyproject(repo, coverage=COVERAGE_TABLES.replace("relative_files = true\n", ""))
    assert problems_of(config.load(repo)) == (
        "pyproject.toml: covthemes needs relative_files: "
        "add `relative_files = true` under [tool.coverage.run]",
    )


def test_check_names_missing_setting_in_ini_syntax(repo: Path) -> None:
    """A setting missing from .coveragerc is named with its ini line and section."""
    (repo / ".coveragerc").write_text(INI.format(prefix="").replace("relative_files = True\n", ""))
    assert problems_of(config.load(repo)) == (
        ".coveragerc: covthemes needs relative_files: add `relative_files = True` under [run]",
    )


def test_check_names_every_missing_setting_with_coverage_prefix(repo: Path) -> None:
    """In setup.cfg (or tox.ini) sections carry the `coverage:` prefix; every missing setting is named."""
    write_pyproject(repo, coverage="")
    (repo / "setup.cfg").write_text("[coverage:run]\nsource = pkg\n")
    assert problems_of(config.load(repo)) == (
        "setup.cfg: covthemes needs branch: add `branch = True` under [coverage:run]",
        "setup.cfg: covthemes needs relative_files: add `relative_files = True` under [coverage:run]",
        "setup.cfg: covthemes needs context: add `context = ${COVERAGE_CONTEXT-}` under [coverage:run]",
        "setup.cfg: covthemes needs show_contexts: add `show_contexts = True` under [coverage:html]",
        "setup.cfg: covthemes needs show_contexts: add `show_contexts = True` under [coverage:json]",
    )


def test_check_rejects_context_that_ignores_the_variable(repo: Path) -> None:
    """A fixed static context would label every theme alike: the variable is required."""
    write_pyproject(repo, coverage=COVERAGE_TABLES.replace('"${COVERAGE_CONTEXT-}"', '"fixed"'))
    assert problems_of(config.load(repo)) == (
        'pyproject.toml: covthemes needs context: add `context = "${COVERAGE_CONTEXT-}"` under '
        "[tool.coverage.run]",
    )


def test_check_reads_the_named_coverage_config(repo: Path) -> None:
    """`coverage-config` names the file to read, in place of coverage's own search."""
    (repo / "cov.ini").write_text(INI.format(prefix=""))
    table = COVTHEMES_TABLE.replace("[tool.covthemes.paths]", 'coverage-config = "cov.ini"\n\n&')
    write_pyproject(repo, covthemes=table.replace("&", "[tool.covthemes.paths]"), coverage="")
    settings = config.load(repo)
    assert settings.coverage_config == Path("cov.ini")
    assert coverage_config.check(settings).config_file == repo / "cov.ini"


def test_check_without_any_coverage_config(repo: Path) -> None:
    """With no coverage config anywhere, the file to create and its settings are named."""
    write_pyproject(repo, coverage="")
    [problem] = problems_of(config.load(repo))
    assert problem.startswith("covthemes found no coverage config: create `.coveragerc`")
    assert "branch = True, relative_files = True, context = ${COVERAGE_CONTEXT-}" in problem


def test_check_restores_coverage_context(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe value of COVERAGE_CONTEXT is set only while the config is read."""
    monkeypatch.setenv("COVERAGE_CONTEXT", "alpha")
    coverage_config.check(settings)
    assert os.environ["COVERAGE_CONTEXT"] == "alpha"
    monkeypatch.delenv("COVERAGE_CONTEXT")
    coverage_config.check(settings)
    assert "COVERAGE_CONTEXT" not in os.environ


def cov_with(**options: list[str]) -> Coverage:
    """A Coverage object reading no config file, with source options."""
    return Coverage(config_file=False, **options)  # type: ignore[arg-type]


def test_source_folders_resolves_folders_and_packages(settings: Settings, repo: Path) -> None:
    """Folders stay folders, a dotted package is found under the root or src/, and repeats count once."""
    (repo / "src" / "lib" / "sub").mkdir(parents=True)
    folders = sources.source_folders(
        settings, cov_with(source=["pkg", "./pkg", str(repo / "pkg")], source_pkgs=["lib.sub", "pkg"])
    )
    assert folders == [Path("pkg"), Path("src/lib/sub")]


def test_source_folders_reads_the_repository_config(settings: Settings) -> None:
    """`source` comes from the coverage config."""
    cov = coverage_config.open_coverage(settings, None)
    assert sources.source_folders(settings, cov) == [Path("pkg")]


def test_source_folders_rejects_unknown_entry(settings: Settings, repo: Path) -> None:
    """An entry that is neither a folder nor a package is named, with the fix."""
    with pytest.raises(ConfigError) as raised:
        sources.source_folders(settings, cov_with(source=["nowhere"]))
    assert raised.value.problems == (
        f"coverage source 'nowhere' is neither a folder nor a package under {repo} or its src/: "
        "correct `source` in the coverage config",
    )


def test_source_folders_refuses_a_folder_of_tests(settings: Settings, repo: Path) -> None:
    """A `source` naming a testpaths folder would measure the tests as code: the folder is named."""
    with pytest.raises(ConfigError) as raised:
        sources.source_folders(settings, cov_with(source=["pkg", "tests"]))
    assert raised.value.problems == (
        "coverage source 'tests' is a `testpaths` folder of pytest's, so the themes would measure the "
        "tests as code under test: remove it from `source` in the coverage config",
    )


def test_source_folders_refuses_a_folder_holding_collected_test_files(settings: Settings, repo: Path) -> None:
    """Without testpaths too, a folder whose top level holds a test module pytest collects is refused."""
    (repo / "pytest.ini").write_text("[pytest]\n")
    (repo / "checks").mkdir()
    (repo / "checks" / "test_more.py").write_text("def test_more():\n    pass\n")
    with pytest.raises(ConfigError) as raised:
        sources.source_folders(settings, cov_with(source=["pkg", "checks"]))
    [problem] = raised.value.problems
    assert problem.startswith("coverage source 'checks' is a folder of test files pytest collects ")
    assert "(checks/test_more.py)" in problem


def test_source_folders_accept_a_package_keeping_tests_in_a_subfolder(settings: Settings, repo: Path) -> None:
    """A package with its tests in `pkg/tests/` is measured as configured: `omit` is the user's call."""
    (repo / "pkg" / "tests").mkdir()
    (repo / "pkg" / "tests" / "test_inner.py").write_text("")
    assert sources.source_folders(settings, cov_with(source=["pkg"])) == [Path("pkg")]


def test_source_folders_rejects_missing_source(settings: Settings) -> None:
    """Without `source`, the themes would measure the tests too: the setting is asked for."""
    with pytest.raises(ConfigError) as raised:
        sources.source_folders(settings, cov_with())
    [problem] = raised.value.problems
    assert problem.startswith(
        "the coverage config names no `source`: add `source = <your package or folder>`"
    )


def test_open_coverage_reads_and_writes_exactly_the_data_file(settings: Settings, repo: Path) -> None:
    """The data file is used as named, with no parallel suffix."""
    cov = coverage_config.open_coverage(settings, repo / "data" / ".coverage.x")
    assert cov.get_option("run:data_file") == str(repo / "data" / ".coverage.x")
    assert cov.get_option("run:branch") is True


@pytest.mark.parametrize(
    ("section", "line", "fix"),
    [
        (
            "run",
            'data_file = "coverage/data/.coverage"',
            '`data_file = ".coverage"` under [tool.coverage.run]',
        ),
        ("run", 'data_file = "coverage/.coverage"', '`data_file = ".coverage"` under [tool.coverage.run]'),
        ("html", 'directory = "coverage/html"', '`directory = "htmlcov"` under [tool.coverage.html]'),
        (
            "json",
            'output = "coverage/baseline.json"',
            '`output = "coverage.json"` under [tool.coverage.json]',
        ),
    ],
)
def test_check_refuses_coverage_outputs_inside_the_output_folder(
    repo: Path, section: str, line: str, fix: str
) -> None:
    """coverage's own data file, HTML and JSON may not sit in the output folder, where plain commands would
    eat the theme data or rewrite the report; the line names the setting and the safe value."""
    coverage = COVERAGE_TABLES.replace(f"[tool.coverage.{section}]\n", f"[tool.coverage.{section}]\n{line}\n")
    write_pyproject(repo, coverage=coverage)
    (problem,) = problems_of(config.load(repo))
    key, _, value = line.partition(" = ")
    assert problem.startswith(
        f"pyproject.toml: {key} = {value.strip(chr(34))} is inside the covthemes output folder coverage/"
    )
    assert problem.endswith(f": set {fix}")


def test_check_accepts_coverage_outputs_outside_the_output_folder(repo: Path) -> None:
    """A data file, HTML and JSON elsewhere, even with a name like the output folder's, are fine."""
    coverage = COVERAGE_TABLES.replace(
        "[tool.coverage.run]\n", '[tool.coverage.run]\ndata_file = "build/.coverage"\n'
    ).replace("[tool.coverage.html]\n", '[tool.coverage.html]\ndirectory = "coverage-html"\n')
    write_pyproject(repo, coverage=coverage)
    assert coverage_config.check(config.load(repo)).config_file == repo / "pyproject.toml"


def test_check_refuses_an_ini_data_file_in_ini_syntax(repo: Path) -> None:
    """The fix is written in the config file's own syntax."""
    (repo / "cov.ini").write_text(
        INI.format(prefix="").replace("[run]\n", "[run]\ndata_file = coverage/data/.coverage\n")
    )
    table = COVTHEMES_TABLE.replace("[tool.covthemes.paths]", 'coverage-config = "cov.ini"\n\n&')
    write_pyproject(repo, covthemes=table.replace("&", "[tool.covthemes.paths]"), coverage="")
    (problem,) = problems_of(config.load(repo))
    assert problem.endswith(": set `data_file = .coverage` under [run]")


def test_the_measurement_hash_changes_with_an_option_that_changes_what_is_recorded(
    settings: Settings, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An extra `omit`, from COVERAGE_RCFILE's config, changes the hash; a report-only option does not."""
    base = coverage_config.check(settings).config_sha256
    rc = repo / "extra.ini"
    ini = INI.format(prefix="")
    rc.write_text(ini)
    monkeypatch.setenv("COVERAGE_RCFILE", str(rc))
    same = coverage_config.check(settings).config_sha256
    rc.write_text(ini.replace("[run]\n", "[run]\nomit = pkg/extra.py\n", 1))
    omitted = coverage_config.check(settings).config_sha256
    rc.write_text(ini + "[report]\nprecision = 3\n")
    reported = coverage_config.check(settings).config_sha256
    assert same == base == reported
    assert omitted != base


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[run]\nbranch = True\n=oops\n", "[line  3]: '=oops\\n'"),
        ("root:x:0:0:root:/root:/bin/bash\n", "line: 1; 'root:x:0:0:root:/root:/bin/bash\\n'"),
    ],
)
def test_a_config_coverage_cannot_parse_is_one_line(repo: Path, text: str, reason: str) -> None:
    """A broken line, or a file that is no config at all, is one line naming the file and the fix."""
    (repo / "cov.ini").write_text(text)
    (repo / "pyproject.toml").write_text(
        (repo / "pyproject.toml")
        .read_text()
        .replace("[tool.covthemes]\n", '[tool.covthemes]\ncoverage-config = "cov.ini"\n')
    )
    [problem] = problems_of(config.load(repo))
    assert problem.startswith(
        f"coverage cannot read its config (Couldn't read config file {repo / 'cov.ini'}"
    )
    assert reason in problem
    assert problem.endswith(
        "): fix that line, or point coverage-config in [tool.covthemes] (or COVERAGE_RCFILE) at the "
        "repository's coverage config"
    )
    assert "\n" not in problem
