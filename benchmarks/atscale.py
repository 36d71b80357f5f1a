"""P6: themed coverage at scale, the arms of `benchmarks.arms` side by side on two large suites.

The suites: a synthetic one (`benchmarks.synth_suite`, 5,000 tests over
250 modules, the largest theme 60% of them) and networkx's own tests
(`benchmarks.thirdparty`, 6,166 tests, adopted by configuration alone). The
tools come from P6's own environment (`benchmarks.toolenv`), built once, and
are called directly, without tox.

Each round runs every arm once, in a rotating order, each in a fresh copy
of the suite, all on the same `os.cpu_count()` cores, with the scrubbed
environment of `benchmarks.procs`. Per arm: the wall time of the whole plan,
the CPU time of every process (`os.wait4`, xdist's workers included), the
critical path (its longest single process), the core use (CPU / (wall x
cores)), the tests each pytest process reported in its summary line next to
the tests covthemes recorded in each theme's provenance, and for the themed
arms the publish's steps, artifact sizes and peak memory
(`benchmarks.publish_steps`). Before the rounds, untimed, arm 4's shard plan
and the sharded theme's durations are prepared (`benchmarks.shard_prep`).
A failed command ends its arm's round and is reported with its output; the
other arms still run. The records are `benchmarks.arm_runs`.

Goal (the P6 issue): the themed matrix with shards or xdist (arms 3 and 4)
within 1.1x of the one-shot run's wall time, publish and HTML included.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import clones, machine, pool, procs, shard_prep, synth_suite, thirdparty, toolenv
from benchmarks.arm_runs import ArmRun, PublishRecord, SuiteResult, pytest_counts, recorded_tests
from benchmarks.arms import ARMS, PUBLISH, REFERENCE, SHARDED, Arm, Context
from benchmarks.pool import Finished
from benchmarks.publish_steps import tree_size
from benchmarks.shard_prep import ShardPlan
from benchmarks.stats import Series
from benchmarks.suites import Suite

GOAL_RATIO = 1.1
SUITES = (synth_suite.KEY, thirdparty.NAME)


@dataclass(frozen=True)
class Preset:
    synthetic_tests: int
    synthetic_rounds: int
    thirdparty_rounds: int
    thirdparty_quick: bool  # the third-party suite cut to a few files per theme
    suites: tuple[str, ...] = SUITES


def run_arm(
    arm: Arm,
    suite: Suite,
    tools: toolenv.ToolEnv,
    cores: int,
    work: Path,
    round_no: int,
    plan: ShardPlan | None = None,
) -> ArmRun:
    project = suite.copy_to(work / f"{arm.key}-{round_no}")
    logs = work / f"{arm.key}-{round_no}.logs"
    ctx = Context(suite, tools, cores, logs / "publish.json", plan)
    env = procs.scrubbed_env()
    finished: list[Finished] = []
    failure = None
    load = machine.load()
    started = time.perf_counter()
    for stage in arm.plan(ctx):
        done = pool.run_all(stage.jobs, stage.slots, project, env, logs)
        finished += done
        failed = [p for p in done if p.returncode != 0]
        if failed:
            first = failed[0]
            failure = f"`{' '.join(first.args)}` exited {first.returncode}:\n{first.tail()}"
            break
    wall = time.perf_counter() - started
    publish = PublishRecord.read(ctx.steps_file)
    if publish and publish.refused:
        failure = "the publish refused:\n" + "\n".join(f"  - {p}" for p in publish.refused)
    untimed: dict[str, PublishRecord] = {}
    if arm.after and not failure:
        for stage in arm.after(ctx):
            pool.run_all(stage.jobs, stage.slots, project, env, logs)
            record = PublishRecord.read(ctx.steps_file_of(stage.name))
            if record:
                untimed[stage.name] = record
    ran = {p.label: pytest_counts(p.tail(5)) for p in finished if p.label not in (PUBLISH, "html")}
    result = ArmRun(
        arm=arm.key,
        round=round_no,
        wall=wall,
        processes=finished,
        load=load,
        failure=failure,
        publish=publish,
        ran=ran,
        recorded=recorded_tests(project, suite.themes),
        report_bytes={
            "htmlcov": tree_size(project / "htmlcov"),
            ".coverage": tree_size(project / ".coverage"),
        },
        untimed=untimed,
    )
    clones.remove(project)
    return result


def measure(snapshot: Path, work: Path, preset: Preset, log, keep: bool = False) -> dict:
    cores = os.cpu_count() or 1
    log("P6: building the bench's environment (untimed)")
    tools = toolenv.build(snapshot, work / "venv", sys.executable)
    suites: list[Suite] = []
    if synth_suite.KEY in preset.suites:
        synthetic = synth_suite.prepare(
            snapshot, work / synth_suite.KEY, preset.synthetic_tests, preset.synthetic_rounds
        )
        suites.append(synthetic)
    outside = None
    try:
        if thirdparty.NAME in preset.suites:
            outside = thirdparty.neutral_folder()
            log(f"P6: fetching and adopting {thirdparty.NAME} {thirdparty.VERSION} in {outside} (untimed)")
            suites.append(
                thirdparty.prepare(tools, outside, preset.thirdparty_rounds, preset.thirdparty_quick)
            )
        results = {suite.key: run_suite(suite, tools, cores, suite.root.parent, log) for suite in suites}
    finally:
        if outside and keep:
            log(f"P6: kept {outside}")
        elif outside:
            clones.remove(outside)
    return {"cores": cores, "tools": tools.versions(), "suites": results, "goals": goals(results)}


def run_suite(suite: Suite, tools: toolenv.ToolEnv, cores: int, work: Path, log) -> SuiteResult:
    """Every arm once per round, in an order that rotates from round to round.

    Arm 4's shard plan and durations are prepared first, untimed
    (`benchmarks.shard_prep`).
    """
    plan = shard_prep.prepare(suite, tools, cores, work, log) if any(a.key == SHARDED for a in ARMS) else None
    result = SuiteResult(suite, [], plan)
    for round_no in range(suite.rounds):
        shift = round_no % len(ARMS)
        for arm in ARMS[shift:] + ARMS[:shift]:
            log(f"P6 {suite.key} round {round_no + 1}/{suite.rounds}: {arm.key}")
            run = run_arm(arm, suite, tools, cores, work, round_no, plan)
            result.runs.append(run)
            status = "FAILED" if run.failure else f"CPU {run.cpu:.1f}s"
            log(f"P6 {suite.key} {arm.key}: {run.wall:.1f}s wall, {status}")
    return result


def ratio(result: SuiteResult, arm: str, tests_only: bool = False, cpu: bool = False) -> Series:
    """Per round, the arm's wall time over the reference's (its test run alone with `tests_only`).

    With `cpu`, CPU time over CPU time: other work on the machine moves it
    less than wall time. Rounds where either arm failed are left out.
    """
    ratios = Series()
    for mine in result.of(arm):
        ref = next((r for r in result.of(REFERENCE) if r.round == mine.round), None)
        if ref is None or ref.failure or mine.failure:
            continue
        if cpu:
            base, value = ref.cpu, mine.cpu
        else:
            base, value = (ref.seconds_of("tests") if tests_only else ref.wall), mine.wall
        if base:
            ratios.add(value / base)
    return ratios


def goals(results: dict[str, SuiteResult]) -> dict[str, bool | None]:
    """Per suite and judged arm: within GOAL_RATIO of the one-shot run (None: not measured)."""
    verdicts: dict[str, bool | None] = {}
    for key, result in results.items():
        for arm in (a for a in ARMS if a.judged):
            series = ratio(result, arm.key)
            name = f"{key}: {arm.key} <= {GOAL_RATIO}x one-shot, publish included"
            verdicts[name] = series.median <= GOAL_RATIO if series.samples else None
    return verdicts
