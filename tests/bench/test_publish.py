"""The publish section's goal: judged at networkx's size, on the median of its rounds."""

from __future__ import annotations

from pathlib import Path

from benchmarks.procs import Finished
from benchmarks.publish import Publishes, SuitePublish


def _publish(suite: str, tests: int, *seconds: float, returncode: int = 0) -> SuitePublish:
    runs = tuple(Finished("publish", (), returncode, s, s, 1024, Path("publish.log")) for s in seconds)
    return SuitePublish(suite, tests, runs)


def test_goal_judged_only_at_networkx_size() -> None:
    """A suite of about 6,000 tests is held to 20 s; a smaller one is not judged."""
    result = Publishes((_publish("networkx", 6166, 31.0, 36.9, 33.0), _publish("synthetic", 5000, 9.0)), True)
    assert [goal.met for goal in result.goals()] == [False, None]


def test_quick_runs_judge_nothing() -> None:
    """--quick checks the harness: even a suite of the goal's size is not judged."""
    assert [goal.met for goal in Publishes((_publish("networkx", 6166, 12.0),), False).goals()] == [None]


def test_failed_rounds_stay_out_of_the_figures(tmp_path: Path) -> None:
    """A publish that failed counts in no median, and its output is shown below the table."""
    log = tmp_path / "publish.log"
    log.write_text("covthemes: nothing published; the previous report is unchanged\n")
    good = Finished("publish-0", ("covthemes", "publish"), 0, 15.0, 15.0, 1024, log)
    refused = Finished("publish-1", ("covthemes", "publish"), 2, 1.0, 1.0, 1024, log)
    suite = SuitePublish("networkx", 6166, (good, refused))
    assert suite.of("seconds").samples == (15.0,)
    assert "`covthemes publish` exited 2:\ncovthemes: nothing published" in Publishes((suite,), True).render()
