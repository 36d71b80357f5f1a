"""Shards: `--shard K/N` parsed, shard files found, the CI matrix, and every refusal of a sharded theme."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import record_theme

from covthemes.errors import ConfigError, PublishRefused
from covthemes.model.provenance import Outcomes
from covthemes.model.revision import Revision
from covthemes.publish import check
from covthemes.run import matrix
from covthemes.run import options as run_options
from covthemes.run.options import RunOptions
from covthemes.settings import shards
from covthemes.settings.config import Settings
from covthemes.settings.shards import Shard


def test_shard_parses_k_of_n_and_names_itself() -> None:
    """`2/3` is group 2 of 3, shown as `2/3` and named `2-of-3` in files."""
    shard = Shard.parse(" 2/3 ")
    assert shard == Shard(2, 3)
    assert (shard.label, shard.name) == ("2/3", "2-of-3")
    assert shards.of_theme(3) == (Shard(1, 3), Shard(2, 3), Shard(3, 3))


@pytest.mark.parametrize("text", ["0/3", "4/3", "2", "a/b", "2/0", "-1/2"])
def test_shard_refuses_what_is_not_k_of_n(text: str) -> None:
    """Anything but K/N with 1 <= K <= N is one line with an example."""
    with pytest.raises(
        ConfigError, match=r"^--shard '.*' is not K/N with 1 <= K <= N: write, for example, 2/3$"
    ):
        Shard.parse(text)


def test_found_lists_shards_by_data_or_record(tmp_path: Path) -> None:
    """A shard is found by its data file or its provenance record; another theme's are not."""
    (tmp_path / ".coverage.beta.1-of-3").write_text("")
    (tmp_path / "provenance.beta.3-of-3.json").write_text("")
    (tmp_path / ".coverage.beta").write_text("")
    (tmp_path / ".coverage.betamax.2-of-3").write_text("")
    (tmp_path / ".coverage.beta.1-of-3.lock").write_text("")
    assert shards.found(tmp_path, "beta") == [Shard(1, 3), Shard(3, 3)]
    assert shards.found(tmp_path / "none", "beta") == []


@pytest.mark.parametrize(
    ("args", "options", "rest"),
    [
        (["-n", "2"], RunOptions(), ["-n", "2"]),
        (["--", "-x", "--shard", "1/2"], RunOptions(), ["-x", "--shard", "1/2"]),
        (["-n", "2", "--shard", "1/3"], RunOptions(Shard(1, 3)), ["-n", "2"]),
        (["--shard=2/3", "--store-durations", "--", "-k", "x"], RunOptions(Shard(2, 3), True), ["-k", "x"]),
        (["--shard", "1/1"], RunOptions(), []),
    ],
)
def test_run_options_are_taken_before_the_double_dash(
    args: list[str], options: RunOptions, rest: list[str]
) -> None:
    """--shard and --store-durations are found before `--`, the rest goes to pytest; 1/1 is no shard."""
    assert run_options.split(args) == (options, rest)


def test_the_shard_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """COVTHEMES_SHARD=K/N chooses the shard when --shard is not given; --shard wins; a bad one is named."""
    monkeypatch.setenv("COVTHEMES_SHARD", "2/3")
    assert run_options.split(["-x"]) == (RunOptions(Shard(2, 3)), ["-x"])
    assert run_options.split(["--shard", "1/3"]) == (RunOptions(Shard(1, 3)), [])
    monkeypatch.setenv("COVTHEMES_SHARD", "")
    assert run_options.split([]) == (RunOptions(), [])
    monkeypatch.setenv("COVTHEMES_SHARD", "3/2")
    with pytest.raises(ConfigError, match=r"^COVTHEMES_SHARD='3/2' is not K/N"):
        run_options.split([])


def test_matrix_has_a_job_per_theme_and_shard(settings: Settings) -> None:
    """Unsharded themes get one job; a theme with N shards gets N, each with its args and a unique name."""
    sharded = Settings(root=settings.root, themes=settings.themes, shards={"beta": 2})
    document = json.loads(matrix.render(sharded, "github"))
    assert document == {
        "include": [
            {"theme": "alpha", "shard": "", "args": "", "name": "alpha"},
            {"theme": "beta", "shard": "1/2", "args": "--shard 1/2", "name": "beta-1-of-2"},
            {"theme": "beta", "shard": "2/2", "args": "--shard 2/2", "name": "beta-2-of-2"},
            {"theme": "gamma", "shard": "", "args": "", "name": "gamma"},
        ]
    }
    assert matrix.render(sharded, "lines").splitlines() == [
        "alpha",
        "beta --shard 1/2",
        "beta --shard 2/2",
        "gamma",
    ]


@pytest.fixture
def sharded(settings: Settings) -> Settings:
    """alpha and gamma recorded whole; beta in three shards of 1, 2 and 3 tests."""
    for theme in ("alpha", "gamma"):
        record_theme(settings, theme)
    for shard in shards.of_theme(3):
        record_theme(
            settings,
            "beta",
            shard=shard,
            tests=shard.index,
            outcomes=Outcomes(passed=shard.index),
            started=f"2026-11-26T10:00:0{shard.index}Z",
            ended=f"2026-11-26T10:01:0{shard.index}Z",
        )
    return settings


def refusal(settings: Settings) -> tuple[str, ...]:
    with pytest.raises(PublishRefused) as raised:
        check.check_inputs(settings, allow_mixed_revisions=False)
    return raised.value.problems


def test_a_sharded_theme_is_the_sum_of_its_shards(sharded: Settings) -> None:
    """Every shard's data is an input of the theme; its tests and outcomes are the shards' sums."""
    inputs = check.check_inputs(sharded, allow_mixed_revisions=False)
    assert inputs.data_files["beta"] == tuple(
        sharded.layout.data_file("beta", shard) for shard in shards.of_theme(3)
    )
    beta = inputs.runs["beta"]
    assert (beta.tests, beta.outcomes, beta.status) == (6, Outcomes(passed=6), "passed")
    assert (beta.started, beta.ended) == ("2026-11-26T10:00:01Z", "2026-11-26T10:01:03Z")


def test_a_failed_shard_fails_its_theme(sharded: Settings) -> None:
    """One shard with failing tests marks the whole theme failed."""
    record_theme(sharded, "beta", shard=Shard(2, 3), status="failed", pytest_exit_code=1)
    assert check.check_inputs(sharded, allow_mixed_revisions=False).runs["beta"].status == "failed"


def test_a_missing_shard_is_named_with_the_command_that_makes_it(sharded: Settings) -> None:
    """Without shard 2's data, the refusal names that shard and its command."""
    sharded.layout.data_file("beta", Shard(2, 3)).unlink()
    assert refusal(sharded) == (
        "missing coverage data for shard 2/3 of theme 'beta' (coverage/data/.coverage.beta.2-of-3): "
        "run `covthemes run beta --shard 2/3` first",
    )


def test_a_shard_without_anything_is_missing_too(sharded: Settings) -> None:
    """A shard with neither data nor record is missing; the others are still found by their files."""
    for path in (
        sharded.layout.data_file("beta", Shard(3, 3)),
        sharded.layout.provenance_file("beta", Shard(3, 3)),
    ):
        (sharded.root / path).unlink()
    # Shards 1 and 2 still say there are 3.
    (problem,) = refusal(sharded)
    assert problem.startswith("missing coverage data for shard 3/3 of theme 'beta'")


def test_shards_cut_into_different_counts_are_refused(sharded: Settings) -> None:
    """Shards that disagree on N are refused, naming both counts."""
    record_theme(sharded, "beta", shard=Shard(1, 2))
    (problem,) = refusal(sharded)
    assert problem.startswith(
        "theme 'beta' has shards cut into 2 and 3 groups: measure every shard with one count"
    )


def test_shards_from_different_revisions_are_refused(sharded: Settings) -> None:
    """Shards measured on different source are refused, naming each shard's revision."""
    record_theme(sharded, "beta", shard=Shard(3, 3), revision=Revision(None, "e" * 64))
    (problem,) = refusal(sharded)
    assert problem.startswith("the shards of theme 'beta' were measured on different revisions (1/3 on git")
    assert "3/3 on git none, source eeeeeeeeeeee" in problem


def test_plain_and_sharded_data_of_one_theme_are_refused(sharded: Settings) -> None:
    """Unsharded data beside a theme's shards is refused, naming what to delete."""
    record_theme(sharded, "beta")
    (problem,) = refusal(sharded)
    assert problem == (
        "theme 'beta' mixes unsharded data (coverage/data/.coverage.beta) with shards (1/3, 2/3, 3/3): "
        "delete coverage/data/.coverage.beta and coverage/data/provenance.beta.json to publish the shards, "
        "or delete the shards' files to publish `covthemes run beta`'s data"
    )


def test_data_without_per_test_contexts_is_refused(tests_mode: Settings) -> None:
    """In the tests mode, a theme whose tests ran but whose data holds no per-test context, from an unnamed
    core, is refused."""
    settings = tests_mode
    for theme in ("alpha", "gamma"):
        record_theme(settings, theme)
    record_theme(settings, "beta", test_contexts=False, coverage_core="default")
    (problem,) = refusal(settings)
    assert problem == (
        "theme 'beta' ran 1 test(s), but coverage/data/.coverage.beta holds no per-test context and its run "
        "names no core that records them (core: default): it was measured with coverage's sysmon core, "
        "which drops them, or without `--cov-context=test`: run `covthemes run beta`"
    )


def test_themes_measured_in_another_mode_are_refused_in_one_line(settings: Settings) -> None:
    """A theme measured with per-test contexts cannot join the phases mode's themes: one line names it."""
    for theme in ("alpha", "gamma"):
        record_theme(settings, theme)
    record_theme(settings, "beta", contexts="tests")
    assert refusal(settings) == (
        '[tool.covthemes] contexts is "phases", but themes were measured in another mode: '
        "'beta' (tests); the modes' data cannot be merged into one report: measure them again, starting "
        "with `covthemes run beta`",
    )


def test_a_context_recording_core_without_test_contexts_is_accepted(settings: Settings) -> None:
    """With ctrace recorded, no per-test context means the tests ran none of the measured code."""
    for theme in settings.themes:
        record_theme(settings, theme, test_contexts=theme != "beta", coverage_core="ctrace")
    assert check.check_inputs(settings, allow_mixed_revisions=False).runs["beta"].tests == 1


def test_a_passed_run_of_no_tests_is_refused(settings: Settings) -> None:
    """A record that says passed with 0 tests is refused like a run that selected none."""
    for theme in ("alpha", "gamma"):
        record_theme(settings, theme)
    record_theme(settings, "beta", tests=0)
    (problem,) = refusal(settings)
    assert problem.startswith("theme 'beta' selected no tests in its last run")
