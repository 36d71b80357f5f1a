"""Fault cases of the pipeline: missing, stale, corrupt or failing themes, and interrupted publishes.

docs/reliability.md lists each case with the test that covers it here.
"""

from __future__ import annotations

import subprocess
import textwrap
import time

import pytest

from covthemes.publish.steps import FAULT_STEPS
from devtools.worktree import commit
from tests.pipeline.helpers import (
    MATRIX,
    THEMES,
    copy_theme_data,
    find_python,
    git_status,
    load_json,
    report_digest,
    run,
    scrubbed_env,
    tox,
)

pytestmark = pytest.mark.pipeline


def publish(clone, matrix, *args, **env):
    """The publish step with the matrix clone's cov-combine interpreter (no env build)."""
    python = matrix / ".tox" / "cov-combine" / "bin" / "python"
    return run([str(python), "-m", "covthemes", "publish", *args], clone, **env)


def test_combine_alone_names_every_missing_theme(clone):
    """`tox -e cov-combine` with no theme data refuses and names all three themes."""
    result = tox(clone, "-e", "cov-combine")
    assert result.returncode != 0
    for theme in THEMES:
        assert f"missing coverage data for theme '{theme}'" in result.output
        assert f"tox -e cov-{theme}" in result.output
    assert "Traceback" not in result.output
    assert not (clone / "coverage" / "html").exists()


def test_combine_after_two_themes_names_the_third(clone, matrix):
    """With two themes' data, the refusal names only the missing one."""
    copy_theme_data(matrix, clone, ["architecture", "reliability"])
    result = tox(clone, "-e", "cov-combine")
    assert result.returncode != 0
    assert "missing coverage data for theme 'security'" in result.output
    assert "theme 'architecture'" not in result.output
    assert "Traceback" not in result.output


def test_garbage_data_file_is_named_and_report_kept(published, matrix):
    """A garbage `.coverage.security` is refused by name; the report is unchanged byte for byte."""
    before = report_digest(published)
    (published / "coverage" / "data" / ".coverage.security").write_bytes(b"not a database\n" * 100)
    result = tox(published, "-e", "cov-combine")
    assert result.returncode != 0
    assert "coverage/data/.coverage.security is not usable coverage data" in result.output
    assert "Traceback" not in result.output
    assert report_digest(published) == before


def test_truncated_data_file_is_refused(published, matrix):
    """A truncated data file is refused by name, and nothing is published."""
    before = report_digest(published)
    data = published / "coverage" / "data" / ".coverage.reliability"
    data.write_bytes(data.read_bytes()[:4096])
    result = publish(published, matrix)
    assert result.returncode == 2
    assert ".coverage.reliability" in result.stderr
    assert report_digest(published) == before


@pytest.mark.parametrize("step", [s for s in FAULT_STEPS if s != "swap"])
def test_failure_at_any_publish_step_keeps_the_report(published, matrix, step):
    """A publish that fails at any step exits non-zero and leaves the report as it was."""
    before = report_digest(published)
    result = publish(published, matrix, COVTHEMES_FAULT=step)
    assert result.returncode == 2
    assert f"injected failure at publish step '{step}'" in result.stderr
    assert "Traceback" not in result.output
    assert report_digest(published) == before
    assert list((published / "coverage").glob(".staging*")) == []


def test_publish_killed_during_swap_leaves_the_report(published, matrix):
    """A publish killed in its swap, just before the rename that publishes, leaves the old report whole."""
    before = report_digest(published)
    killed = publish(published, matrix, COVTHEMES_FAULT="swap")
    assert killed.returncode < 0 or killed.returncode == 137
    assert report_digest(published) == before
    # The generation it built is left behind; the next publish deletes it.
    assert len(list((published / "coverage" / ".reports").iterdir())) == 2
    again = publish(published, matrix)
    assert again.returncode == 0, again.output
    assert len(list((published / "coverage" / ".reports").iterdir())) == 1
    assert report_digest(published) != before


def test_publish_killed_during_staging_keeps_the_report(published, matrix):
    """SIGKILL while the report is being built leaves the published files untouched."""
    before = report_digest(published)
    python = matrix / ".tox" / "cov-combine" / "bin" / "python"
    proc = subprocess.Popen(
        [str(python), "-m", "covthemes", "publish"],
        cwd=published,
        env=scrubbed_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    current = (published / "coverage" / ".report").resolve()
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        # The new generation's coverage HTML has started: the report is being built.
        if any(g != current for g in (published / "coverage" / ".reports").glob("*/html/..")):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "publish finished before it could be killed"
    proc.kill()
    proc.wait()
    assert report_digest(published) == before
    again = publish(published, matrix)
    assert again.returncode == 0, again.output
    assert list((published / "coverage").glob(".staging*")) == []
    assert len(list((published / "coverage" / ".reports").iterdir())) == 1


def test_mixed_revisions_are_refused_unless_allowed(published, matrix):
    """Themes measured on another revision are refused; the opt-in flag publishes them."""
    target = published / "logging_lib" / "__init__.py"
    target.write_text(target.read_text() + "\n# a later revision\n")
    commit(published, "a later revision")
    result = tox(published, "-e", "cov-combine")
    assert result.returncode != 0
    for theme in THEMES:
        assert f"theme '{theme}' was measured on another revision" in result.output
    assert "--allow-mixed-revisions" in result.output
    allowed = tox(published, "-e", "cov-combine", "--", "--allow-mixed-revisions")
    assert allowed.returncode == 0, allowed.output


def test_uncommitted_edit_counts_as_another_revision(published, matrix):
    """An uncommitted edit to measured source makes the data stale."""
    target = published / "apps" / "api" / "__init__.py"
    target.write_text(target.read_text() + "\n# uncommitted\n")
    result = publish(published, matrix)
    assert result.returncode == 2
    assert "was measured on another revision" in result.stderr


def test_theme_selecting_no_tests_fails_clearly(clone):
    """`tox -e cov-security -- -k nothing` fails with a message, and writes no data or record to publish."""
    result = tox(clone, "-e", "cov-security", "--", "-k", "no_test_matches_this")
    assert result.returncode != 0
    assert "theme 'security' selected no tests" in result.output
    data = clone / "coverage" / "data"
    assert not (data / "provenance.security.json").exists()
    assert not (data / ".coverage.security").exists()


def test_theme_whose_pytest_crashes_leaves_no_data_and_is_refused(clone, matrix):
    """pytest raising after the tests ran replaces no data, writes no record; publish refuses that theme."""
    (clone / "conftest.py").write_text(
        textwrap.dedent(
            """
            def pytest_unconfigure(config):
                raise RuntimeError("pytest crashed in its own teardown, on purpose")
            """
        )
    )
    commit(clone, "pytest crashes at unconfigure")
    result = tox(clone, "-e", "cov-security")
    assert result.returncode != 0
    assert "on purpose" in result.output
    assert not (clone / "coverage" / "data" / "provenance.security.json").exists()
    assert not (clone / "coverage" / "data" / ".run-security.coverage").exists()
    copy_theme_data(matrix, clone, ["architecture", "reliability"])
    refused = publish(clone, matrix)
    assert refused.returncode == 2
    assert "missing coverage data for theme 'security'" in refused.stderr
    assert "tox -e cov-security" in refused.stderr
    assert not (clone / "coverage" / "html").exists()


def test_failing_theme_still_publishes_and_fails_the_matrix(clone):
    """A failing security test: the matrix exits non-zero, the report is published, security is failed."""
    test = clone / "tests" / "unit" / "api" / "test_zz_failing.py"
    test.write_text(
        textwrap.dedent(
            '''
            import pytest

            pytestmark = pytest.mark.security


            def test_fails_on_purpose():
                """A deliberately failing security test."""
                assert False
            '''
        )
    )
    commit(clone, "a failing security test")
    result = tox(clone, "-p", "-e", MATRIX)
    assert result.returncode != 0
    themes = load_json(clone / "coverage" / "themes.json")
    assert themes["themes"]["security"]["status"] == "failed"
    assert themes["themes"]["architecture"]["status"] == "passed"
    assert themes["themes"]["reliability"]["status"] == "passed"
    assert themes["status"] == "failed"
    assert "| security | failed |" in (clone / "coverage" / "summary.md").read_text()
    assert "theme 'security' has failing tests" in result.output
    assert git_status(clone) == ""


def test_thresholds_are_reported_and_enforced_only_when_asked(published, matrix):
    """Thresholds always appear in the summary; a missed one fails only with the opt-in, after publishing."""
    config = published / "pyproject.toml"
    text = config.read_text()
    assert "\nsecurity = 47\n" in text
    config.write_text(text.replace("\nsecurity = 47\n", "\nsecurity = 99.9\n"))
    relaxed = publish(published, matrix)
    assert relaxed.returncode == 0, relaxed.output
    summary = (published / "coverage" / "summary.md").read_text()
    assert "99.9% **missed**" in summary
    enforced = publish(published, matrix, COVTHEMES_ENFORCE_THRESHOLDS="1")
    assert enforced.returncode == 1
    assert "below its threshold of 99.9%" in enforced.stderr
    assert (published / "coverage" / "themes.json").exists()


def test_data_from_other_checkouts_combines_to_the_same_report(tmp_path, matrix, make_clone):
    """Themes run in clones at different paths combine elsewhere into the single-checkout numbers."""
    first = make_clone(tmp_path / "runner-a" / "work" / "repo")
    second = make_clone(tmp_path / "elsewhere" / "b")
    combiner = make_clone(tmp_path / "combiner" / "repo")
    ran_first = tox(first, "-e", "cov-architecture,cov-reliability")
    assert ran_first.returncode == 0, ran_first.output
    ran_second = tox(second, "-e", "cov-security")
    assert ran_second.returncode == 0, ran_second.output
    copy_theme_data(first, combiner, ["architecture", "reliability"])
    copy_theme_data(second, combiner, ["security"])
    result = tox(combiner, "-e", "cov-combine")
    assert result.returncode == 0, result.output
    baseline = load_json(combiner / "coverage" / "baseline.json")
    assert all(not path.startswith("/") and ".." not in path for path in baseline["files"])
    ours = load_json(combiner / "coverage" / "themes.json")
    single = load_json(matrix / "coverage" / "themes.json")
    for theme in THEMES:
        assert ours["themes"][theme]["total"] == single["themes"][theme]["total"]
        assert ours["themes"][theme]["unique_lines"] == single["themes"][theme]["unique_lines"]
    assert ours["uncovered_lines"] == single["uncovered_lines"]
    assert load_json(combiner / "coverage" / "lines.json") == load_json(matrix / "coverage" / "lines.json")


def test_data_from_another_python_combines(tmp_path, matrix, make_clone):
    """A theme measured on Python 3.13 combines with themes measured on 3.11."""
    python = find_python("3.13")
    assert python, "python3.13 must be on PATH (see README.md: Set up)"
    clone = make_clone(tmp_path / "py313")
    result = tox(clone, "-e", "cov-security", "-x", f"testenv:cov-security.base_python={python}")
    assert result.returncode == 0, result.output
    record = load_json(clone / "coverage" / "data" / "provenance.security.json")
    assert record["python"].startswith("3.13")
    copy_theme_data(matrix, clone, ["architecture", "reliability"])
    combined = tox(clone, "-e", "cov-combine")
    assert combined.returncode == 0, combined.output
    themes = load_json(clone / "coverage" / "themes.json")
    assert themes["themes"]["security"]["python"].startswith("3.13")
    assert themes["themes"]["security"]["total"]["covered_lines"] > 0


def test_plain_coverage_commands_leave_the_theme_data_and_the_report_alone(published, matrix):
    """After a publish, plain `coverage html`, `coverage json` and `coverage report` change no theme data
    file and no published file, byte for byte: the coverage config keeps its own outputs out of coverage/."""
    data = published / "coverage" / "data"
    before_data = {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.is_file()}
    assert {f".coverage.{theme}" for theme in THEMES} <= set(before_data)
    before = report_digest(published)
    python = matrix / ".tox" / "cov-combine" / "bin" / "python"
    for command in ("html", "json", "report"):
        result = run([str(python), "-m", "coverage", command], published)
        assert "Combined" not in result.output, result.output
    assert {p.name: p.read_bytes() for p in sorted(data.iterdir()) if p.is_file()} == before_data
    assert report_digest(published) == before
