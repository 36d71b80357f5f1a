"""at-scale's pure parts: pytest's summary, the shard count, the synthetic suite's themes, paired ratios."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.arms import ARMS
from benchmarks.atscale import ArmRun, SuiteResult, pytest_counts
from benchmarks.procs import Finished
from benchmarks.shard_prep import shard_count
from benchmarks.suites import Suite
from benchmarks.synthetic import theme_modules


def test_pytest_counts_read_the_last_summary_line() -> None:
    """The counts come from pytest's final summary line, whatever its width and words."""
    tail = (
        "== 3 passed in 0.1s ==\n...\n======= 5837 passed, 371 skipped, 2 errors in 99.12s (0:01:39) ======="
    )
    assert pytest_counts(tail) == {"passed": 5837, "skipped": 371, "errors": 2}


def test_pytest_counts_of_a_crash_are_empty() -> None:
    """A process that never printed a summary reports no tests rather than a wrong count."""
    assert pytest_counts("Traceback (most recent call last):\n  ...\nImportError: no module") == {}


@pytest.mark.parametrize(("share", "cores", "count"), [(0.6, 2, 2), (0.5, 2, 1), (0.361, 2, 1), (0.86, 4, 4)])
def test_shard_count_is_the_fewest_within_one_core_share(share: float, cores: int, count: int) -> None:
    """The largest theme is cut into the fewest shards none of which holds more than 1/cores of the tests."""
    assert shard_count(share, cores) == count


def test_synthetic_themes_give_the_first_theme_sixty_percent() -> None:
    """The synthetic suite is unbalanced like a suite whose unit tests dominate: 60% in the first theme."""
    owners = theme_modules(250, ("architecture", "reliability", "security"))
    assert [owners.count(t) for t in ("architecture", "reliability", "security")] == [150, 50, 50]
    assert owners[:150] == ["architecture"] * 150


def _run(arm: str, round_no: int, wall: float, failure: str | None = None) -> ArmRun:
    test = Finished("tests", (), 0, wall / 2, wall, 0, Path("tests.log"))
    return ArmRun(arm, round_no, wall, (test,), "1.00 / 1.00 / 1.00", failure, {}, {}, {})


def test_ratios_pair_rounds_and_leave_out_failed_ones() -> None:
    """Each round's arm is divided by that round's one-shot run; a round where either failed is left out."""
    suite = Suite("synthetic", "", Path(), ("a",), ("tests",), 3, "")
    runs = (
        _run("one-shot", 0, 10.0),
        _run("shards", 0, 11.0),
        _run("one-shot", 1, 20.0),
        _run("shards", 1, 19.0),
        _run("one-shot", 2, 10.0, failure="exited 1"),
        _run("shards", 2, 50.0),
    )
    result = SuiteResult(suite, ARMS, runs, None, None)
    assert result.ratio("shards").samples == (1.1, 0.95)
    assert result.ratio("shards", tests_only=True).samples == (2.2, 1.9)
    assert [g.met for g in result.goals(judged=True)] == [None, True]
    assert [g.met for g in result.goals(judged=False)] == [None, None]
