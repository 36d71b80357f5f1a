"""`floor`: the themed matrix in each contexts mode against pytest alone, on Python 3.11 and 3.14.

Per Python (a tools' environment each), per suite, side by side on all cores
in rotating order: plain `pytest -n <cores>`, the per-test one-shot
(`benchmarks.arms.one_shot`), and the sharded themed matrix with its publish
once with `contexts = "phases"` and once with `contexts = "tests"` in
`[tool.covthemes]`, configuration alone. From each themed round's published
copy it reads the core each run recorded, the publish's steps and the
answers (`benchmarks.answers`), which must be equal in both modes. Goals in
`FloorSuite.goals`; tables in `floor_report`.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import atscale, floor_report, publish, shard_prep, tempdir, thirdparty, tool, toolenv
from benchmarks.answers import Answers, differences
from benchmarks.arms import FLOOR_ARMS, MATRIX, ONE_SHOT, PHASES, PLAIN, PUBLISH, TESTS, Arm, Context
from benchmarks.atscale import ArmRun, SuiteResult
from benchmarks.sections import SECTIONS, Goal, Section
from benchmarks.sections import Context as Run
from benchmarks.stats import Series, paired_ratio
from benchmarks.suites import Suite

NAME = "floor"
PYTHONS = ("3.11", "3.14")
# Goals: wall time of the phases matrix with its publish over plain pytest on
# 3.14 and over the one-shot on 3.11; at networkx's size, the publish's
# seconds and how much smaller its data and baseline.json are than the tests mode's.
OVER_PLAIN_314, OVER_ONE_SHOT_311, PUBLISH_SECONDS, SMALLER = 1.3, 0.85, 10.0, 5.0
SIZE_GOAL_SUITE = thirdparty.NAME
_TABLE = re.compile(r"^\[tool\.covthemes\]$", re.MULTILINE)
# (synthetic tests, synthetic rounds, networkx rounds); --quick also cuts networkx to a few files.
FULL, QUICK = (5000, 1, 1), (1000, 1, 1)


@dataclass(frozen=True)
class Inspected:
    """What the floor reads from one themed round's published copy."""

    cores: dict[str, str]  # per data file, the core its provenance recorded
    steps: dict[str, float]  # the publish's steps, in seconds
    answers: Answers | None
    note: str = ""  # why there are no answers


def data_and_baseline(run: ArmRun) -> int:
    """Bytes of a themed round's theme data and baseline.json, which per-test contexts make large."""
    return run.sizes.get(tool.DATA, 0) + run.sizes.get(tool.BASELINE_JSON, 0)


@dataclass(frozen=True)
class FloorSuite:
    python: str  # as asked, "3.11" or "3.14"; the exact version is in `versions`
    versions: str
    result: SuiteResult
    inspected: dict[tuple[str, int], Inspected]  # per (arm key, round)

    @property
    def key(self) -> str:
        return self.result.suite.key

    def good(self, arm: str) -> list[ArmRun]:
        return [r for r in self.result.of(arm) if not r.failure]

    def data_and_baseline(self, arm: str) -> Series:
        return Series.of(data_and_baseline(r) for r in self.good(arm))

    def smaller(self) -> Series:
        """Per round, how many times smaller the phases mode's data and baseline.json are."""
        phases = {r.round: r for r in self.good(MATRIX[PHASES])}
        return paired_ratio(
            (data_and_baseline(t), data_and_baseline(phases[t.round]))
            for t in self.good(MATRIX[TESTS])
            if t.round in phases
        )

    def answers(self, arm: str) -> dict[int, Answers]:
        """Per good round of the themed `arm`, the answers its publish gave."""
        found = {r.round: self.inspected.get((arm, r.round)) for r in self.good(arm)}
        return {n: seen.answers for n, seen in found.items() if seen and seen.answers}

    def differences(self) -> list[str] | None:
        """What the modes answered differently, round by round; None when no round has both answers."""
        phases, tests = self.answers(MATRIX[PHASES]), self.answers(MATRIX[TESTS])
        rounds = sorted(phases.keys() & tests.keys())
        return [d for n in rounds for d in differences(phases[n], tests[n])] if rounds else None

    def goals(self, judged: bool) -> list[Goal]:
        """The timing and size goals (judged unless --quick), and equal answers (always judged)."""
        phases, at = MATRIX[PHASES], f"{NAME} {self.key} on {self.python}"
        timed: list[tuple[bool, str, bool | None]] = [
            (
                self.python == "3.14",
                f"phases matrix + publish <= {OVER_PLAIN_314}x plain pytest",
                self.result.ratio(phases, reference=PLAIN.key).at_most(OVER_PLAIN_314),
            ),
            (
                self.python == "3.11",
                f"phases matrix + publish <= {OVER_ONE_SHOT_311}x the one-shot",
                self.result.ratio(phases, reference=ONE_SHOT).at_most(OVER_ONE_SHOT_311),
            ),
            (
                self.key == SIZE_GOAL_SUITE,
                f"phases publish <= {PUBLISH_SECONDS:.0f} s",
                Series.of(r.seconds(PUBLISH) for r in self.good(phases)).at_most(PUBLISH_SECONDS),
            ),
            (
                self.key == SIZE_GOAL_SUITE,
                f"data + baseline.json >= {SMALLER:.0f}x smaller than in tests mode",
                self.smaller().at_least(SMALLER),
            ),
        ]
        goals = [Goal(f"{at}: {name}", met if judged else None) for applies, name, met in timed if applies]
        found = self.differences()
        return [*goals, Goal(f"{at}: equal answers in both modes", None if found is None else not found)]


@dataclass(frozen=True)
class Floor:
    cores: int
    suites: tuple[FloorSuite, ...]
    judged: bool  # False for --quick

    def goals(self) -> tuple[Goal, ...]:
        return tuple(goal for suite in self.suites for goal in suite.goals(self.judged))

    def render(self) -> str:
        return floor_report.render(self)


def with_contexts(suite: Suite, mode: str, dest: Path) -> Suite:
    """A copy of `suite` with `contexts = "<mode>"` in its `[tool.covthemes]`."""
    root = suite.copy_to(dest)
    pyproject = root / "pyproject.toml"
    text, found = _TABLE.subn(f'[tool.covthemes]\ncontexts = "{mode}"', pyproject.read_text())
    if found != 1:
        raise ValueError(f"{pyproject} has {found} [tool.covthemes] tables, not one")
    pyproject.write_text(text)
    return dataclasses.replace(suite, root=root)


def inspect(run: ArmRun, kept: Path) -> Inspected:
    """The cores, publish steps and answers of a themed round, from its kept copy, which this removes."""
    process = run.process(PUBLISH)
    steps = publish.steps(process.log.read_text(errors="replace"), process.seconds) if process else {}
    if not kept.exists():  # the round failed, and run_arm kept nothing
        return Inspected({}, steps, None, "the round failed")
    try:
        answers, note = Answers.read(kept), ""
    except (OSError, ValueError, KeyError) as exc:  # a published file without what the answers need
        answers, note = None, f"{type(exc).__name__}: {exc}"
    found = Inspected(tool.recorded_cores(kept), steps, answers, note)
    tempdir.remove(kept)
    return found


def run_python(
    python: str,
    tools: toolenv.ToolEnv,
    entries: Sequence[tuple[Arm, Suite]],
    plan: shard_prep.ShardPlan,
    run: Run,
    work: Path,
) -> FloorSuite:
    """Every arm once per round on `python`, in an order that rotates from round to round."""
    cores = os.cpu_count() or 1
    runs, inspected = [], {}
    suite = entries[0][1]
    for round_no in range(suite.rounds):
        for arm, arm_suite in atscale.rotated(entries, round_no):
            run.log(f"{suite.key} on {python}, round {round_no + 1}/{suite.rounds}: {arm.key}")
            kept = work / f"{arm.key}-{round_no}-published"
            ctx = Context(arm_suite, tools, cores, plan)
            result = atscale.run_arm(arm, ctx, work, round_no, kept if arm.themed else None)
            if arm.themed:
                inspected[(arm.key, round_no)] = inspect(result, kept)
            runs.append(result)
            status = "FAILED" if result.failure else f"CPU {result.cpu:.1f}s"
            run.log(f"{suite.key} on {python} {arm.key}: {result.wall:.1f}s wall, {status}")
    arms = tuple(arm for arm, _ in entries)
    return FloorSuite(python, tools.versions(), SuiteResult(suite, arms, tuple(runs), plan, None), inspected)


def measure(run: Run) -> Floor:
    run.log("building a tools' environment per Python, preparing the suites (untimed)")
    tools = {python: toolenv.build(run.snapshot, run.work / f"venv-{python}", python) for python in PYTHONS}
    cores = os.cpu_count() or 1
    found = []
    for suite in atscale.prepare_suites(run, tools[PYTHONS[0]], QUICK if run.options.quick else FULL):
        work = suite.root.parent
        # Once per suite: the stored durations and the shards serve both Pythons, as a team commits them.
        plan = shard_prep.prepare(suite, tools[PYTHONS[0]], cores, work, run.log)
        modes = {mode: with_contexts(suite, mode, work / f"project-{mode}") for mode in MATRIX}
        entries = [(arm, modes[mode] if mode else suite) for arm, mode in FLOOR_ARMS]
        for python in PYTHONS:
            found.append(run_python(python, tools[python], entries, plan, run, work / python))
    return Floor(cores, tuple(found), judged=not run.options.quick)


SECTIONS.register(
    Section(
        NAME,
        "plain `pytest -n <cores>`, the per-test one-shot, and the sharded themed matrix in phases and in "
        "tests mode with publish, on Python 3.11 and 3.14, on the synthetic suite and networkx",
        measure,
    )
)
