"""The arms: the ways of getting per-test coverage of a whole suite that `at-scale` compares.

An arm is a plan of stages run one after the other, each a list of commands run
at most `slots` at a time, on the same cores and a fresh copy of the suite. The
first arm, one xdist run with per-test contexts and coverage's HTML, as a team
without themes runs it, is the reference; the `judged` ones are held to the goal.
Adding an arm is adding an `Arm` to `ARMS`. `PLAIN`, pytest without coverage,
is the floor's reference (`benchmarks.floor`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from benchmarks.procs import Job
from benchmarks.shard_prep import ShardPlan
from benchmarks.suites import Suite
from benchmarks.toolenv import ToolEnv

PUBLISH, HTML, TESTS = "publish", "html", "tests"  # the labels of the processes that are not themes
# Per-test contexts need a tracing core: ctrace is coverage's default before
# Python 3.14, and sysmon, the default from 3.14, drops them (docs: PITFALLS 6).
PER_TEST_CORE = "ctrace"


@dataclass(frozen=True)
class Context:
    suite: Suite
    tools: ToolEnv
    cores: int
    shards: ShardPlan | None = None  # the sharded arm's plan


@dataclass(frozen=True)
class Stage:
    jobs: tuple[Job, ...]
    slots: int


@dataclass(frozen=True)
class Arm:
    key: str
    title: str
    plan: Callable[[Context], tuple[Stage, ...]]
    judged: bool = False  # held to the at-scale goal against the reference
    themed: bool = True  # publishes with covthemes; else it writes coverage's own outputs


def publish(ctx: Context) -> Stage:
    """`covthemes publish`, its progress lines stamped: they time its steps (`benchmarks.publish.steps`)."""
    return Stage((Job(PUBLISH, (ctx.tools.exe("covthemes"), "publish"), stamped=True),), 1)


def theme_run(ctx: Context, label: str, theme: str, *args: str) -> Job:
    """`covthemes run THEME ARGS -q` on the suite's sample of the theme's files, if it has one."""
    return Job(label, (ctx.tools.exe("covthemes"), "run", theme, *args, "-q", *ctx.suite.theme_paths(theme)))


def _pytest(ctx: Context, *args: str) -> tuple[str, ...]:
    """`pytest -n <cores> ARGS` over the whole suite, without covthemes' plugin."""
    return (
        ctx.tools.exe("pytest"),
        "-q",
        "-p",
        "no:covthemes",
        "-n",
        str(ctx.cores),
        *args,
        *ctx.suite.all_paths(),
    )


def plain(ctx: Context) -> tuple[Stage, ...]:
    return (Stage((Job(TESTS, _pytest(ctx)),), 1),)


def one_shot(ctx: Context) -> tuple[Stage, ...]:
    per_test = _pytest(ctx, "--cov", "--cov-context=test", "--cov-report=")
    tests = Stage((Job(TESTS, per_test, env=(("COVERAGE_CORE", PER_TEST_CORE),)),), 1)
    return (tests, Stage((Job(HTML, (ctx.tools.exe("coverage"), "html", "-q")),), 1))


def themes_parallel(ctx: Context) -> tuple[Stage, ...]:
    return (Stage(tuple(theme_run(ctx, t, t, "--") for t in ctx.suite.themes), ctx.cores), publish(ctx))


def themes_xdist(ctx: Context) -> tuple[Stage, ...]:
    jobs = tuple(theme_run(ctx, t, t, "--", "-n", str(ctx.cores)) for t in ctx.suite.themes)
    return (Stage(jobs, 1), publish(ctx))


def themes_sharded(ctx: Context) -> tuple[Stage, ...]:
    if ctx.shards is None:
        raise ValueError("the sharded arm needs its plan: benchmarks.shard_prep.prepare")
    jobs = tuple(theme_run(ctx, job.name, job.theme, *job.args.split(), "--") for job in ctx.shards.jobs)
    return (Stage(jobs, ctx.cores), publish(ctx))


ARMS = (
    Arm(
        "one-shot", "1. `pytest -n <cores> --cov --cov-context=test`, `coverage html`", one_shot, themed=False
    ),
    Arm("parallel", "2. `covthemes run THEME` x <cores> at once, publish", themes_parallel),
    Arm("xdist", "3. `covthemes run THEME -- -n <cores>` in turn, publish", themes_xdist, judged=True),
    Arm(
        "shards",
        "4. `covthemes run THEME --shard K/N`, <cores> at once, publish",
        themes_sharded,
        judged=True,
    ),
)
SHARDED, ONE_SHOT = "shards", ARMS[0].key
_SHARDS = next(arm for arm in ARMS if arm.key == SHARDED)
PLAIN = Arm("plain", "1. plain `pytest -n <cores>`", plain, themed=False)

# The floor's arms (`benchmarks.floor`): plain pytest, the reference, the
# one-shot, and the sharded matrix once per value of `[tool.covthemes] contexts`,
# each paired with the mode its suite's copy is given ("" for none).
PHASES, TESTS = "phases", "tests"
MATRIX = {mode: f"matrix-{mode}" for mode in (PHASES, TESTS)}  # the themed arms' keys
_THEMED = 'themed matrix, `contexts = "{}"`: `covthemes run THEME --shard K/N`, <cores> at once, publish'
FLOOR_ARMS = (
    (PLAIN, ""),
    (replace(ARMS[0], title=f"2. one-shot: {ARMS[0].title[3:]}, {PER_TEST_CORE}"), ""),
    *(
        (replace(_SHARDS, key=MATRIX[mode], title=f"{n}. {_THEMED.format(mode)}"), mode)
        for n, mode in enumerate(MATRIX, start=3)
    ),
)
