"""The arms: the ways of getting per-test coverage of a whole suite that the sections compare.

An arm is a plan: stages run one after the other, each a list of commands
run at most `slots` at a time (`benchmarks.pool`). Every arm gets the same
cores and a fresh copy of the suite. `ARMS` is the list `at-scale` runs and
tabulates, in order; the first is the reference the others are divided by,
and the `judged` ones are held to its goal. Adding an arm is adding an `Arm`.

- one-shot: `pytest -n <cores> --cov --cov-context=test` over the whole
  suite (the covthemes plugin off, as a team without themes runs it), then
  `coverage html`, coverage's HTML with the per-test contexts, which the
  themed arms' publish also writes;
- parallel: one `covthemes run THEME` per theme, as many at once as there are
  cores, like `tox -p` runs the theme envs; then `covthemes publish`;
- xdist: `covthemes run THEME -- -n <cores>`, one theme after the other;
  then `covthemes publish`;
- shards: the jobs `covthemes matrix` lists once the largest theme is cut
  into shards (`benchmarks.shard_prep`), `cores` at a time, longest first;
  then `covthemes publish`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.pool import Job
from benchmarks.shard_prep import ShardPlan
from benchmarks.suites import Suite
from benchmarks.toolenv import ToolEnv

PUBLISH = "publish"
HTML = "html"
TESTS = "tests"
QUIET = ("-q",)


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


def publish(ctx: Context) -> Stage:
    return Stage((Job(PUBLISH, (ctx.tools.exe("covthemes"), "publish")),), 1)


def theme_run(ctx: Context, label: str, theme: str, *args: str) -> Job:
    return Job(
        label, (ctx.tools.exe("covthemes"), "run", theme, *args, *QUIET, *ctx.suite.theme_paths(theme))
    )


def one_shot(ctx: Context) -> tuple[Stage, ...]:
    exe = ctx.tools.exe
    pytest = (
        exe("pytest"),
        *QUIET,
        "-p",
        "no:covthemes",
        "-n",
        str(ctx.cores),
        "--cov",
        "--cov-context=test",
    )
    return (
        Stage((Job(TESTS, (*pytest, "--cov-report=", *ctx.suite.all_paths())),), 1),
        Stage((Job(HTML, (exe("coverage"), "html", "-q")),), 1),
    )


def themes_parallel(ctx: Context) -> tuple[Stage, ...]:
    jobs = tuple(theme_run(ctx, theme, theme, "--") for theme in ctx.suite.themes)
    return (Stage(jobs, ctx.cores), publish(ctx))


def themes_xdist(ctx: Context) -> tuple[Stage, ...]:
    jobs = tuple(theme_run(ctx, theme, theme, "--", "-n", str(ctx.cores)) for theme in ctx.suite.themes)
    return (Stage(jobs, 1), publish(ctx))


def themes_sharded(ctx: Context) -> tuple[Stage, ...]:
    if ctx.shards is None:
        raise ValueError("the sharded arm needs its plan: benchmarks.shard_prep.prepare")
    jobs = tuple(theme_run(ctx, job.name, job.theme, *job.args.split(), "--") for job in ctx.shards.jobs)
    return (Stage(jobs, ctx.cores), publish(ctx))


ARMS = (
    Arm(
        "one-shot",
        "1. one-shot: `pytest -n <cores> --cov --cov-context=test`, then `coverage html`",
        one_shot,
    ),
    Arm(
        "parallel",
        "2. themes in parallel: `covthemes run THEME` x <cores> at once, then publish",
        themes_parallel,
    ),
    Arm(
        "xdist",
        "3. themes with xdist: `covthemes run THEME -- -n <cores>` in turn, then publish",
        themes_xdist,
        judged=True,
    ),
    Arm(
        "shards",
        "4. themes with shards: the largest theme in `--shard K/N` jobs, all jobs <cores> at once, "
        "longest first, then publish",
        themes_sharded,
        judged=True,
    ),
)
REFERENCE = ARMS[0].key
SHARDED = "shards"
