"""`covthemes.run.runner`: one theme under coverage, with its provenance record.

The end-to-end tests run `python -m covthemes run THEME` in the tiny
repository as a child process, which coverage's `patch = ["subprocess"]`
measures for the tool's own coverage.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from coverage import CoverageData
from helpers import run_theme, write_pyproject

from covthemes.errors import ConfigError, CovthemesError
from covthemes.model import provenance
from covthemes.run import runner
from covthemes.run.options import RunOptions
from covthemes.settings import config, core, coverage_config
from covthemes.settings.config import Settings
from covthemes.settings.shards import Shard

GAMMA_TESTS = """\
import pytest

import pkg.core


@pytest.fixture
def broken():
    raise RuntimeError("fixture fails")


def test_passes():
    pass


@pytest.mark.skip(reason="skipped at setup")
def test_skipped_at_setup():
    pass


def test_skipped_in_call():
    pytest.skip("skipped in call")


def test_fails():
    assert False


def test_errors(broken):
    pass
"""


def test_path_only_theme_collects_only_its_files(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """A path-only theme hands pytest its files alone, and its record counts every outcome."""
    (repo / "tests" / "gamma" / "test_gamma.py").write_text(GAMMA_TESTS)
    done = run_theme(repo, child_env, "gamma", "--", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stderr
    assert "collected 5 items" in done.stdout
    assert "deselected" not in done.stdout
    assert "test_alpha" not in done.stdout
    record = json.loads(settings.layout.provenance_file("gamma").read_text())
    assert record["status"] == "failed"
    assert record["pytest_exit_code"] == 1
    assert record["tests"] == 5
    assert record["outcomes"] == {"passed": 1, "failed": 1, "skipped": 2, "errors": 1}
    data = CoverageData(basename=str(settings.layout.data_file("gamma")))
    data.read()
    assert data.has_arcs()
    assert data.measured_contexts() == {"gamma"}  # imported, never called by gamma's tests


def test_selecting_no_test_is_explained_and_keeps_the_last_data(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """A run that selects nothing exits 5, says how to add tests, and leaves the last good data and record."""
    assert run_theme(repo, child_env, "alpha", "--", "-p", "no:cacheprovider").returncode == 0
    kept = snapshot(settings, "alpha")
    done = run_theme(repo, child_env, "alpha", "--", "-k", "nothing_matches", "-p", "no:cacheprovider")
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED
    assert done.stderr.endswith(
        "covthemes: error: theme 'alpha' selected no tests, so it would publish a silent 0%. "
        "Check the arguments after `--`, or mark tests with `pytestmark = pytest.mark.alpha`. "
        "Its last measured data, if any, is kept.\n"
    )
    assert snapshot(settings, "alpha") == kept


def snapshot(settings: Settings, theme: str) -> tuple[bytes, bytes, list[str]]:
    """The theme's data and record, byte for byte, and the data folder's entries."""
    layout = settings.layout
    return (
        layout.data_file(theme).read_bytes(),
        layout.provenance_file(theme).read_bytes(),
        sorted(path.name for path in layout.data.iterdir()),
    )


@pytest.mark.parametrize(
    "broken",
    [
        ["--no-such-flag"],  # a usage error: pytest exits 4
        ["tests/test_broken.py"],  # a collection error: pytest exits 2
    ],
)
def test_a_run_that_does_not_finish_keeps_the_last_good_data(
    repo: Path, settings: Settings, child_env: dict[str, str], broken: list[str]
) -> None:
    """A usage or collection error replaces neither the theme's data nor its record, nor leaves a file."""
    assert run_theme(repo, child_env, "alpha", "--", "-p", "no:cacheprovider").returncode == 0
    kept = snapshot(settings, "alpha")
    (repo / "tests" / "test_broken.py").write_text(
        "import pytest\npytestmark = pytest.mark.alpha\nimport nowhere\n"
    )
    done = run_theme(repo, child_env, "alpha", "--", "-p", "no:cacheprovider", *broken)
    assert done.returncode in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERRUPTED), done.stdout
    assert snapshot(settings, "alpha") == kept


def test_a_finished_run_replaces_the_data_and_records_its_config(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """A finished run moves its data into place, and its format 4 record has the coverage config's hash."""
    done = run_theme(repo, child_env, "beta", "--", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stderr
    record = json.loads(settings.layout.provenance_file("beta").read_text())
    assert record["format"] == 4
    assert record["coverage_config_sha256"] == coverage_config.check(settings).config_sha256
    assert not settings.layout.run_data_file("beta").exists()
    assert record["data_sha256"] == provenance.file_sha256(settings.layout.data_file("beta"))


def test_pytest_args_for_marker_and_path_themes(settings: Settings, repo: Path) -> None:
    """Every theme lets pytest collect from its own roots: no theme's files are named, only what was given."""
    base = ["--cov", "--cov-append", "--cov-report="]
    assert runner.pytest_args(settings, "alpha", ["-x"]) == ["--covthemes-theme", "alpha", *base, "-x"]
    assert runner.pytest_args(settings, "gamma", []) == ["--covthemes-theme", "gamma", *base]
    named = ["tests/gamma/test_gamma.py::test_gamma"]
    assert runner.pytest_args(settings, "gamma", named) == ["--covthemes-theme", "gamma", *base, *named]


def test_pytest_args_switch_per_test_contexts_only_in_the_tests_mode(tests_mode: Settings) -> None:
    """`contexts = "tests"` asks pytest-cov for its per-test contexts; the phases mode does not."""
    args = ["--covthemes-theme", "alpha", "--cov", "--cov-append", "--cov-context=test", "--cov-report="]
    assert runner.pytest_args(tests_mode, "alpha", []) == args


def test_pytest_args_name_the_coverage_config(settings: Settings) -> None:
    """A configured coverage-config is passed to pytest-cov."""
    from dataclasses import replace

    args = runner.pytest_args(replace(settings, coverage_config=Path("cov.ini")), "alpha", [])
    assert "--cov-config=cov.ini" in args


def test_how_to_add_tests_depends_on_how_the_theme_is_chosen(settings: Settings) -> None:
    """A path theme's fix is its globs; a marker theme's is the marker."""
    assert runner._how_to_add(settings, "gamma") == "correct the globs of 'gamma' in [tool.covthemes.paths]"
    assert runner._how_to_add(settings, "beta") == "mark tests with `pytestmark = pytest.mark.beta`"


def test_rejects_unknown_theme(settings: Settings) -> None:
    """An unknown theme names the themes."""
    with pytest.raises(ConfigError, match="unknown theme 'delta': choose one of alpha, beta, gamma"):
        runner.run_theme(settings, "delta", [])


def test_rejects_coverage_context_of_another_theme(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A COVERAGE_CONTEXT left from another theme would mislabel the data."""
    monkeypatch.setenv("COVERAGE_CONTEXT", "beta")
    with pytest.raises(ConfigError) as raised:
        runner.run_theme(settings, "alpha", [])
    assert raised.value.problems == (
        "COVERAGE_CONTEXT is 'beta' but the theme is 'alpha': unset it, or run `covthemes run alpha`",
    )


def test_xdist_run_counts_the_tests_its_workers_ran(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """Under pytest-xdist the record counts every selected test and outcome, as the serial run does."""
    (repo / "tests" / "gamma" / "test_gamma.py").write_text(GAMMA_TESTS)
    serial = run_theme(repo, child_env, "gamma", "--", "-p", "no:cacheprovider")
    assert serial.returncode == 1, serial.stderr
    recorded = json.loads(settings.layout.provenance_file("gamma").read_text())
    done = run_theme(repo, child_env, "gamma", "-n", "2", "-p", "no:cacheprovider")
    assert done.returncode == 1, done.stderr
    assert "2 workers" in done.stdout
    record = json.loads(settings.layout.provenance_file("gamma").read_text())
    assert record["tests"] == recorded["tests"] == 5
    assert record["outcomes"] == recorded["outcomes"]


def test_xdist_run_that_selects_nothing_is_still_refused(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """Under pytest-xdist, selecting no test still exits 5, and writes no data or record."""
    done = run_theme(repo, child_env, "alpha", "-n", "2", "-k", "nothing_matches", "-p", "no:cacheprovider")
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, done.stdout + done.stderr
    assert sorted(path.name for path in settings.layout.data.iterdir()) == [".run-alpha.lock"]


def test_shards_split_a_theme_into_disjoint_groups(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """Three shards of a theme run disjoint groups whose union is the theme's tests, each with its data."""
    (repo / "tests" / "gamma" / "test_gamma.py").write_text(
        "".join(f"def test_{n}():\n    pass\n\n\n" for n in range(7))
    )
    ran: list[set[str]] = []
    for index in (1, 2, 3):
        done = run_theme(
            repo, child_env, "gamma", "--shard", f"{index}/3", "--", "-v", "-p", "no:cacheprovider"
        )
        assert done.returncode == 0, done.stdout + done.stderr
        ran.append({line.split(" ")[0] for line in done.stdout.splitlines() if " PASSED" in line})
        record = json.loads((repo / settings.layout.provenance_file("gamma", Shard(index, 3))).read_text())
        assert (record["shard"], record["tests"]) == (f"{index}/3", len(ran[-1]))
        assert record["data_file"] == f"coverage/data/.coverage.gamma.{index}-of-3"
        assert (repo / record["data_file"]).is_file()
    assert all(ran) and sum(len(group) for group in ran) == 7
    assert set.union(*ran) == {f"tests/gamma/test_gamma.py::test_{n}" for n in range(7)}


def test_store_durations_writes_the_themes_durations_file(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """--store-durations records each test's duration in the theme's own durations file."""
    done = run_theme(repo, child_env, "alpha", "--store-durations", "--", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stdout + done.stderr
    durations = json.loads((repo / settings.durations_file("alpha")).read_text())
    assert list(durations) == ["tests/test_alpha.py::test_alpha"]


def test_pytest_args_for_a_shard(settings: Settings) -> None:
    """A shard asks pytest-split for its group, balanced by the theme's durations file."""
    args = runner.pytest_args(settings, "alpha", [], RunOptions(Shard(2, 3)))
    assert args[-4:] == [
        f"--durations-path={settings.root / '.covthemes-durations' / 'alpha.json'}",
        "--splits=3",
        "--group=2",
        "--splitting-algorithm=least_duration",
    ]


def test_the_run_records_the_core_it_chose(repo: Path, settings: Settings, child_env: dict[str, str]) -> None:
    """Without a chosen core the run measures with the fastest that records its mode, and records both."""
    child_env.pop("COVERAGE_CORE", None)
    done = run_theme(repo, child_env, "beta", "--", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stderr
    record = json.loads(settings.layout.provenance_file("beta").read_text())
    assert record["coverage_core"] == core.for_run(None, "phases")
    assert record["contexts"] == "phases"


def test_a_sysmon_run_is_refused_in_one_line(
    repo: Path, tests_mode: Settings, child_env: dict[str, str]
) -> None:
    """COVERAGE_CORE=sysmon with per-test contexts stops `covthemes run` before pytest starts, in one line."""
    done = run_theme(repo, {**child_env, "COVERAGE_CORE": "sysmon"}, "beta")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("covthemes: error: COVERAGE_CORE=sysmon selects coverage's sysmon core")
    assert "Traceback" not in done.stderr


def test_themes_given_only_by_paths_collect_only_their_files(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """Every theme chosen by path and no `markers`: each run collects only its files, deselecting none."""
    (repo / "tests" / "test_alpha.py").write_text("def test_alpha():\n    pass\n")
    (repo / "tests" / "test_beta.py").write_text("def test_beta():\n    pass\n")
    write_pyproject(
        repo,
        covthemes='[tool.covthemes]\nthemes = ["alpha", "beta", "gamma"]\n\n[tool.covthemes.paths]\n'
        'alpha = ["tests/test_alpha.py"]\nbeta = ["tests/test_beta.py"]\ngamma = ["tests/gamma/test_*.py"]\n',
    )
    for theme in ("alpha", "beta", "gamma"):
        done = run_theme(repo, child_env, theme, "--", "-p", "no:cacheprovider")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "collected 1 item" in done.stdout
        assert "deselected" not in done.stdout


@pytest.mark.parametrize("option", ["-p no:covthemes", "-p no:pytest_cov", "-p no:cov"])
def test_pytest_addopts_that_switch_a_plugin_off_are_named(
    repo: Path, child_env: dict[str, str], option: str
) -> None:
    """PYTEST_ADDOPTS disabling the covthemes plugin or pytest-cov is named as the cause: one line, exit 2."""
    done = run_theme(repo, {**child_env, "PYTEST_ADDOPTS": option}, "beta")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"covthemes: error: PYTEST_ADDOPTS holds `{option}`, which switches off ")


def test_a_finished_run_without_data_keeps_the_last_and_says_why(settings: Settings) -> None:
    """Should pytest-cov write nothing, the theme's data and record stay, and the cause is one line."""
    layout = settings.layout
    layout.data.mkdir(parents=True)
    layout.provenance_file("alpha").write_text("{}")
    with pytest.raises(CovthemesError) as raised:
        runner._keep(layout, layout.run_data_file("alpha"), "theme 'alpha'", "alpha", None)
    assert raised.value.problems == (
        "theme 'alpha' ran, but pytest-cov wrote no coverage data (coverage/data/.run-alpha.coverage): an "
        "option or plugin switched coverage off; the last measured data is kept: run without it",
    )
    assert layout.provenance_file("alpha").read_text() == "{}"


def test_a_link_at_the_runs_working_data_file_is_refused(
    repo: Path, settings: Settings, child_env: dict[str, str], tmp_path: Path
) -> None:
    """A symlink planted where the run keeps its data is named; its target is untouched."""
    target = tmp_path / "precious"
    target.write_text("precious\n")
    settings.layout.data.mkdir(parents=True)
    settings.layout.run_data_file("beta").symlink_to(target)
    done = run_theme(repo, child_env, "beta", "--", "-p", "no:cacheprovider")
    assert done.returncode == 2
    assert "is a symbolic link where covthemes keeps a working file of its own" in done.stderr
    assert done.stderr.count("\n") == 1
    assert target.read_text() == "precious\n"


def test_run_says_what_it_wrote_relative_to_where_the_user_stands(
    repo: Path, settings: Settings, child_env: dict[str, str]
) -> None:
    """A finished run names its data file from the user's folder, and the command that comes next."""
    (repo / "tests" / "gamma" / "test_gamma.py").write_text("def test_passes():\n    pass\n")
    done = run_theme(repo / "tests", child_env, "gamma", "--", "-p", "no:cacheprovider")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        "covthemes: wrote ../coverage/data/.coverage.gamma; next: covthemes publish"
    )


def test_run_refuses_test_files_that_no_theme_selects(repo: Path) -> None:
    """Before pytest starts, a run names the collected test files no theme's glob matches."""
    write_pyproject(
        repo,
        '[tool.covthemes]\nthemes = ["fast"]\n\n[tool.covthemes.paths]\nfast = ["tests/test_alpha.py"]\n',
    )
    with pytest.raises(ConfigError, match=r"^2 test file\(s\) that pytest collects belong to no theme"):
        runner.run_theme(config.load(repo), "fast", [])
    assert not (repo / "coverage").exists()
