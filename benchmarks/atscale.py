"""`at-scale`: the arms (`benchmarks.arms`) side by side on large suites, tabled by `atscale_report`.

Each round runs every arm once, in an order that rotates from round to round,
in a fresh copy of the suite on all cores; a failed command ends its arm's
round only. Goal: the themed matrix with shards or xdist within 1.1x of the
one-shot run's wall time, publish and HTML included.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

from benchmarks import atscale_report, procs, shard_prep, synthetic, tempdir, thirdparty, tool, toolenv
from benchmarks.arms import ARMS, HTML, PUBLISH, SHARDED, TESTS, Arm, Context
from benchmarks.procs import Finished
from benchmarks.sections import SECTIONS, Goal, Section
from benchmarks.sections import Context as Run
from benchmarks.shard_prep import ShardPlan
from benchmarks.stats import Series, paired_ratio
from benchmarks.suites import Suite

NAME = "at-scale"
GOAL_RATIO = 1.1
SUITES = (synthetic.KEY, thirdparty.NAME)
_SUMMARY = re.compile(r"^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s", re.MULTILINE)
_COUNT = re.compile(r"(\d+) (\w+)")
# (synthetic tests, synthetic rounds, networkx rounds); --quick also cuts networkx to a few files.
FULL, QUICK = (5000, 3, 1), (1000, 1, 1)
T = TypeVar("T")


@dataclass(frozen=True)
class ArmRun:
    arm: str
    round: int
    wall: float
    processes: tuple[Finished, ...]
    load: str  # load average when the arm started
    failure: str | None
    ran: dict[str, dict[str, int]]  # per test process: the counts of pytest's summary line
    recorded: dict[str, int]  # per theme: the tests covthemes recorded in themes.json
    sizes: dict[str, int]  # what the arm wrote: the published outputs and theme data, or coverage's own

    @property
    def cpu(self) -> float:
        return sum(p.cpu for p in self.processes)

    @property
    def longest(self) -> Finished | None:
        runs = [p for p in self.processes if p.label not in (PUBLISH, HTML)]
        return max(runs, key=lambda p: p.seconds, default=None)

    def process(self, label: str) -> Finished | None:
        return next((p for p in self.processes if p.label == label), None)

    def seconds(self, label: str, value: str = "seconds") -> float:
        """The process `label`'s wall time, or another of its figures (0 when it did not run)."""
        process = self.process(label)
        return float(getattr(process, value)) if process else 0.0


@dataclass(frozen=True)
class SuiteResult:
    suite: Suite
    arms: tuple[Arm, ...]  # the first is the reference the others are divided by
    runs: tuple[ArmRun, ...]
    shards: ShardPlan | None
    published: Path | None  # a copy of the suite with the sharded arm's data and report, for `publish`

    def of(self, arm: str) -> list[ArmRun]:
        return [r for r in self.runs if r.arm == arm]

    def ratio(self, arm: str, tests_only: bool = False, cpu: bool = False, reference: str = "") -> Series:
        """Per good round, the arm's wall time (or `cpu`) over the reference's (or its `tests_only`).

        The reference is the first arm unless `reference` names another.
        """
        ref = {r.round: r for r in self.of(reference or self.arms[0].key) if not r.failure}
        pairs = [(mine, ref[mine.round]) for mine in self.of(arm) if not mine.failure and mine.round in ref]
        value = attrgetter("cpu" if cpu else "wall")
        return paired_ratio((value(a), b.seconds(TESTS) if tests_only else value(b)) for a, b in pairs)

    def goals(self, judged: bool) -> list[Goal]:
        """Each judged arm within GOAL_RATIO of the reference (not judged for --quick)."""
        name = f"{NAME} {self.suite.key}: {{}} <= {GOAL_RATIO}x {self.arms[0].key}, publish included"
        return [
            Goal(name.format(a.key), self.ratio(a.key).at_most(GOAL_RATIO) if judged else None)
            for a in self.arms
            if a.judged
        ]


@dataclass(frozen=True)
class AtScale:
    cores: int
    tools: toolenv.ToolEnv
    versions: str
    suites: tuple[SuiteResult, ...]
    judged: bool  # False for --quick, which checks the harness

    def goals(self) -> tuple[Goal, ...]:
        return tuple(goal for result in self.suites for goal in result.goals(self.judged))

    def render(self) -> str:
        return atscale_report.render(self)


def pytest_counts(log_tail: str) -> dict[str, int]:
    """The counts of pytest's last summary line (`5837 passed, 371 skipped in 99.1s`)."""
    found = _SUMMARY.findall(log_tail)
    return {word: int(n) for n, word in _COUNT.findall(found[-1])} if found else {}


def run_arm(arm: Arm, ctx: Context, work: Path, round_no: int, keep_as: Path | None = None) -> ArmRun:
    """One round of one arm in a fresh copy of the suite; `keep_as` keeps a good round's copy."""
    project = ctx.suite.copy_to(work / f"{arm.key}-{round_no}")
    logs = work / f"{arm.key}-{round_no}.logs"
    finished: list[Finished] = []
    failure, load, started = None, procs.load(), time.perf_counter()
    for stage in arm.plan(ctx):
        finished += procs.run_all(stage.jobs, stage.slots, project, logs)
        if failure := next((f for p in finished if (f := p.failure())), None):
            break
    wall = time.perf_counter() - started
    own = {name: tool.tree_size(project / name) for name in (".coverage", "htmlcov")}
    sizes = tool.published_sizes(project) if arm.themed else own
    ran = {p.label: pytest_counts(p.tail(5)) for p in finished if p.label not in (PUBLISH, HTML)}
    result = ArmRun(
        arm.key, round_no, wall, tuple(finished), load, failure, ran, tool.recorded_tests(project), sizes
    )
    if keep_as and not failure:
        tempdir.remove(keep_as)
        shutil.move(project, keep_as)
    tempdir.remove(project)
    return result


def rotated(items: Sequence[T], round_no: int) -> list[T]:
    """`items` in the order of round `round_no`: each round starts one later, so no arm always runs first."""
    shift = round_no % len(items) if items else 0
    return [*items[shift:], *items[:shift]]


def run_suite(
    suite: Suite, tools: toolenv.ToolEnv, cores: int, work: Path, run: Run, arms: tuple[Arm, ...] = ARMS
) -> SuiteResult:
    """Every arm once per round, in an order that rotates from round to round."""
    plan = (
        shard_prep.prepare(suite, tools, cores, work, run.log)
        if any(a.key == SHARDED for a in arms)
        else None
    )
    ctx = Context(suite, tools, cores, plan)
    published = work / f"{suite.key}-published"
    runs = []
    for round_no in range(suite.rounds):
        for arm in rotated(arms, round_no):
            run.log(f"{suite.key} round {round_no + 1}/{suite.rounds}: {arm.key}")
            result = run_arm(arm, ctx, work, round_no, published if arm.key == SHARDED else None)
            runs.append(result)
            status = "FAILED" if result.failure else f"CPU {result.cpu:.1f}s"
            run.log(f"{suite.key} {arm.key}: {result.wall:.1f}s wall, {status}")
    return SuiteResult(suite, arms, tuple(runs), plan, published if published.exists() else None)


def prepare_suites(run: Run, tools: toolenv.ToolEnv, sizes: tuple[int, int, int]) -> list[Suite]:
    """The suites `--suites` chose, in `run.work`: `sizes` is (synthetic tests, its rounds, networkx's)."""
    n_tests, synthetic_rounds, thirdparty_rounds = sizes
    chosen, rounds = run.options.suites or SUITES, run.options.rounds
    suites: list[Suite] = []
    if synthetic.KEY in chosen:
        work = run.work / synthetic.KEY
        suites.append(synthetic.prepare(run.snapshot, work, n_tests, rounds or synthetic_rounds))
    if thirdparty.NAME in chosen:
        work = run.work / thirdparty.NAME
        suites.append(thirdparty.prepare(tools, work, rounds or thirdparty_rounds, run.options.quick))
    return suites


def measure(run: Run) -> AtScale:
    run.log("building the tools' environment, preparing the suites (untimed)")
    tools = toolenv.build(run.snapshot, run.work / "venv")
    suites = prepare_suites(run, tools, QUICK if run.options.quick else FULL)
    cores = os.cpu_count() or 1
    results = tuple(run_suite(suite, tools, cores, suite.root.parent, run) for suite in suites)
    return AtScale(cores, tools, tools.versions(), results, judged=not run.options.quick)


SECTIONS.register(
    Section(
        NAME,
        "the themed matrix (in parallel, with xdist, with shards) against one `pytest -n <cores> --cov "
        "--cov-context=test` run, publish included, on the synthetic suite and networkx",
        measure,
    )
)
