"""`covthemes.publish.check`: every reason publish refuses its inputs, each named with its fix."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from helpers import record_theme, write_provenance, write_pyproject

from covthemes.errors import PublishRefused
from covthemes.model import provenance
from covthemes.model.revision import Revision
from covthemes.publish import check
from covthemes.settings import config
from covthemes.settings.config import Settings


@pytest.fixture
def recorded(settings: Settings) -> Settings:
    """The tiny repository's settings, with good data and provenance for every theme."""
    for theme in settings.themes:
        record_theme(settings, theme)
    return settings


def refusal(settings: Settings, *, allow_mixed_revisions: bool = False) -> tuple[str, ...]:
    with pytest.raises(PublishRefused) as raised:
        check.check_inputs(settings, allow_mixed_revisions=allow_mixed_revisions)
    return raised.value.problems


def test_accepts_recorded_themes(recorded: Settings) -> None:
    """Finished runs on this checkout's source are accepted, with their records and the source folders."""
    inputs = check.check_inputs(recorded, allow_mixed_revisions=False)
    assert list(inputs.runs) == ["alpha", "beta", "gamma"]
    assert inputs.data_files["beta"] == (recorded.layout.data_file("beta"),)
    assert inputs.coverage.source_folders == (Path("pkg"),)
    assert inputs.revision.source_hash == inputs.runs["alpha"].revision.source_hash


def test_refuses_bad_coverage_config_first(recorded: Settings, repo: Path) -> None:
    """The coverage config is checked before any data."""
    (repo / ".coveragerc").write_text("[run]\nsource = pkg\n")
    with pytest.raises(Exception, match="covthemes needs branch"):
        check.check_inputs(recorded, allow_mixed_revisions=False)


def test_refuses_missing_data(recorded: Settings, repo: Path) -> None:
    """Missing data names the theme, the file and the command that makes it."""
    recorded.layout.data_file("beta").unlink()
    assert refusal(recorded) == (
        "missing coverage data for theme 'beta' (coverage/data/.coverage.beta): "
        "run `covthemes run beta` first",
    )


def test_refuses_data_without_provenance(recorded: Settings, repo: Path) -> None:
    """Data nobody vouches for is of unknown origin."""
    recorded.layout.provenance_file("beta").unlink()
    assert refusal(recorded) == (
        "theme 'beta': coverage/data/.coverage.beta has no provenance record "
        "(coverage/data/provenance.beta.json), so its origin is unknown: run `covthemes run beta`",
    )


def test_refuses_unreadable_provenance(recorded: Settings, repo: Path) -> None:
    """A provenance file that is not JSON is named, with the parser's complaint."""
    sidecar = recorded.layout.provenance_file("beta")
    sidecar.write_text("{not json")
    [problem] = refusal(recorded)
    assert problem.startswith(
        "theme 'beta': coverage/data/provenance.beta.json is not a readable provenance record ("
    )
    assert problem.endswith("): run `covthemes run beta`")


def test_refuses_provenance_for_another_theme(recorded: Settings, repo: Path) -> None:
    """A record copied from another theme is refused by name."""
    sidecar = recorded.layout.provenance_file("beta")
    sidecar.write_text(recorded.layout.provenance_file("alpha").read_text())
    assert refusal(recorded) == (
        "theme 'beta': coverage/data/provenance.beta.json is a provenance record for 'alpha', not 'beta': "
        "run `covthemes run beta`",
    )


def test_refuses_run_that_selected_no_tests(recorded: Settings) -> None:
    """A run that selected nothing would publish a silent 0%."""
    record_theme(recorded, "beta", status="no-tests", pytest_exit_code=5, tests=0)
    assert refusal(recorded) == (
        "theme 'beta' selected no tests in its last run; run `covthemes run beta` without a selection "
        "that excludes every test",
    )


def test_refuses_unfinished_run(recorded: Settings) -> None:
    """A run that ended in an error names pytest's exit code."""
    record_theme(recorded, "beta", status="error", pytest_exit_code=3)
    assert refusal(recorded) == (
        "theme 'beta' did not finish its last run (pytest exit 3): run `covthemes run beta`",
    )


def test_refuses_garbage_data_file(recorded: Settings, repo: Path) -> None:
    """A data file coverage cannot read is named, with coverage's complaint."""
    data = recorded.layout.data_file("beta")
    data.write_bytes(b"this is not a database" * 100)
    record_theme(recorded, "beta")
    data.write_bytes(b"this is not a database" * 100)
    [problem] = refusal(recorded)
    assert problem.startswith("coverage/data/.coverage.beta is not usable coverage data (")
    assert problem.endswith("): run `covthemes run beta`")


def test_refuses_data_without_branches(recorded: Settings) -> None:
    """Line-only data cannot be combined with branch data."""
    record_theme(recorded, "beta", branches=False)
    assert refusal(recorded) == (
        "coverage/data/.coverage.beta is not usable coverage data (it has no branch data, and the "
        "coverage config measures branches): run `covthemes run beta`",
    )


def test_refuses_data_changed_after_its_run(recorded: Settings, repo: Path) -> None:
    """Data whose SHA-256 differs from the one its run recorded was changed since."""
    sidecar = recorded.layout.provenance_file("beta")
    record = provenance.read(sidecar, "beta")
    assert record is not None
    provenance.write(sidecar, replace(record, data_sha256="0" * 64))
    assert refusal(recorded) == (
        "coverage/data/.coverage.beta was changed after its run recorded it in "
        "coverage/data/provenance.beta.json: run `covthemes run beta`",
    )


def test_accepts_record_without_data_hash(recorded: Settings) -> None:
    """A record without a data hash (format 1 allows it) is not checked against the data."""
    record_theme(recorded, "beta", data_sha256=None)
    assert "beta" in check.check_inputs(recorded, allow_mixed_revisions=False).runs


def test_refuses_mixed_revisions_and_names_the_bypass(recorded: Settings) -> None:
    """Themes measured on other source are each named, then the flag that allows them."""
    record_theme(recorded, "alpha", revision=Revision("1234567890abcdef", "a" * 64))
    record_theme(recorded, "gamma", revision=Revision(None, "b" * 64))
    problems = refusal(recorded)
    current = check.check_inputs(recorded, allow_mixed_revisions=True).revision.source_hash
    assert problems == (
        f"theme 'alpha' was measured on another revision (git 1234567890ab, source aaaaaaaaaaaa; "
        f"this checkout has source {current[:12]}): run `covthemes run alpha`",
        f"theme 'gamma' was measured on another revision (git none, source bbbbbbbbbbbb; "
        f"this checkout has source {current[:12]}): run `covthemes run gamma`",
        "to publish data from different revisions anyway, pass --allow-mixed-revisions "
        "(or set COVTHEMES_ALLOW_MIXED_REVISIONS=1)",
    )


def test_source_edit_after_runs_is_a_mixed_revision(recorded: Settings, repo: Path) -> None:
    """Editing the measured source after the runs makes every theme stale."""
    (repo / "pkg" / "core.py").write_text("x = 1\n")
    assert len(refusal(recorded)) == 4


def test_reports_every_theme_problem_at_once(recorded: Settings, repo: Path) -> None:
    """Problems of several themes are refused together, and revisions are judged only after."""
    recorded.layout.data_file("alpha").unlink()
    recorded.layout.provenance_file("gamma").unlink()
    record_theme(recorded, "beta", revision=Revision(None, "c" * 64))
    problems = refusal(recorded)
    assert [p.split(" ", 5)[:5] for p in problems] == [
        ["missing", "coverage", "data", "for", "theme"],
        ["theme", "'gamma':", "coverage/data/.coverage.gamma", "has", "no"],
    ]


def test_refuses_data_measured_under_another_coverage_config(
    recorded: Settings, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose coverage config measured differently (an extra `omit`, from COVERAGE_RCFILE) is named."""
    rc = repo / "extra.toml"
    rc.write_text(
        (repo / "pyproject.toml")
        .read_text()
        .replace('source = ["pkg"]', 'source = ["pkg"]\nomit = ["pkg/x.py"]')
    )
    monkeypatch.setenv("COVERAGE_RCFILE", str(rc))
    record_theme(recorded, "beta")
    monkeypatch.delenv("COVERAGE_RCFILE")
    assert refusal(recorded) == (
        "theme 'beta' was measured under another coverage config than this publish reads (they differ in "
        "what "
        "they measure: source, include, omit, branch or plugins; COVERAGE_RCFILE set for one and not the "
        "other, say): run `covthemes run beta` with the coverage config the publish reads",
    )


def test_accepts_a_record_that_predates_the_config_hash(recorded: Settings) -> None:
    """A format 1 or 2 record has no config hash: its config is unknown, and not held against it."""
    write_provenance(recorded, "beta", coverage_config_sha256=None)
    assert "beta" in check.check_inputs(recorded, allow_mixed_revisions=False).runs


def test_refuses_data_of_a_file_deleted_since_the_run_even_with_mixed_revisions(
    recorded: Settings, repo: Path
) -> None:
    """A measured file deleted or renamed since its run is named, not a traceback from the report."""
    (repo / "pkg" / "core.py").rename(repo / "pkg" / "renamed.py")
    problems = refusal(recorded, allow_mixed_revisions=True)
    assert problems[0] == (
        f"coverage/data/.coverage.alpha measured {repo / 'pkg' / 'core.py'}, which is no longer in the "
        "repository (deleted or renamed since the run), so no report can show it: run `covthemes run alpha`"
    )
    assert len(problems) == 3


def test_refuses_test_files_that_no_theme_selects(repo: Path) -> None:
    """With every theme chosen by path, a collected test file outside every glob is one of the refusals."""
    write_pyproject(
        repo,
        '[tool.covthemes]\nthemes = ["fast"]\n\n[tool.covthemes.paths]\nfast = ["tests/test_alpha.py"]\n',
    )
    with pytest.raises(PublishRefused) as raised:
        check.check_inputs(config.load(repo), allow_mixed_revisions=False)
    assert raised.value.problems[0].startswith(
        "2 test file(s) that pytest collects belong to no theme, so no themed run would measure them "
        "(tests/gamma/test_gamma.py, tests/test_beta.py): add a glob matching them"
    )
