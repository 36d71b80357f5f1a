"""P6's arms: the ways of getting per-test coverage of a whole suite that it compares.

An arm is a plan: stages run one after the other, each a list of commands
run at most `slots` at a time (`benchmarks.pool`). Every arm gets the same
cores (`os.cpu_count()`) and a fresh copy of the suite. ARMS is the list the
section runs and tabulates, in order; the first is the reference the others
are divided by, and the arms marked `judged` are held to the goal. Adding
an arm is adding an `Arm` to it.

- one-shot: `pytest -n <cores> --cov --cov-context=test` over the whole
  suite (pytest-xdist and pytest-cov, the covthemes plugin off, as a team
  without themes runs it), then `coverage html`, coverage's HTML with the
  per-test contexts; the themed arms' publish writes that same report among
  others, so the reference includes it. The table also divides by the test
  run alone.
- themes in parallel: one `covthemes run THEME` per theme, as many at once
  as there are cores, in the configured order, like `tox -p` runs the theme
  envs; then the publish.
- themes with xdist: `covthemes run THEME -- -n <cores>`, one theme after
  the other, each using every core; then the publish.
- themes with shards: the jobs `covthemes matrix` lists once the largest
  theme is cut into shards (`benchmarks.shard_prep` chooses the theme and
  their number, and stores its durations in an untimed preparation run):
  `covthemes run THEME` for each small theme and `covthemes run THEME
  --shard K/N` for each shard, `cores` at a time, longest first, so the
  cores stay busy to the end; then the publish. Untimed, after the clock
  stops, the arm publishes once more with `baseline-contexts = "themes"`,
  to weigh baseline.json without per-test contexts.

The publish is `covthemes.publish.pipeline.publish()`, run by
`benchmarks.publish_steps` in the bench's environment: what `covthemes
publish` calls, with the step marks of its `on_step` callback, the size of
every published artifact and the peak memory of the process and of its
report workers. Stages in an arm's `after` run once the arm's clock has
stopped; their publish records are kept, not timed into the arm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.pool import Job
from benchmarks.shard_prep import ShardPlan
from benchmarks.suites import Suite
from benchmarks.toolenv import ToolEnv

PUBLISH = "publish"
# The untimed extra publish of arm 4, with baseline.json's contexts cut to themes.
PUBLISH_THEMES_BASELINE = "publish-baseline-themes"
QUIET = ("-q",)


@dataclass(frozen=True)
class Context:
    suite: Suite
    tools: ToolEnv
    cores: int
    steps_file: Path  # where the publish writes its step marks and sizes
    shards: ShardPlan | None = None  # arm 4's plan, from benchmarks.shard_prep

    def steps_file_of(self, label: str) -> Path:
        return self.steps_file if label == PUBLISH else self.steps_file.with_name(f"{label}.json")


@dataclass(frozen=True)
class Stage:
    name: str
    jobs: tuple[Job, ...]
    slots: int


@dataclass(frozen=True)
class Arm:
    key: str
    title: str
    plan: Callable[[Context], tuple[Stage, ...]]
    judged: bool = False  # judged against the goal: within GOAL_RATIO of the reference
    after: Callable[[Context], tuple[Stage, ...]] | None = None  # untimed, once the clock stopped


def publish_stage(ctx: Context, label: str = PUBLISH, *options: str) -> Stage:
    job = Job(
        label,
        (ctx.tools.python, "-m", "benchmarks.publish_steps", str(ctx.steps_file_of(label)), *options),
        {"PYTHONPATH": str(ctx.tools.snapshot)},
    )
    return Stage(label, (job,), 1)


def theme_run(ctx: Context, theme: str, *pytest_args: str) -> Job:
    args = (*QUIET, *pytest_args, *ctx.suite.theme_paths(theme))
    return Job(theme, (ctx.tools.exe("covthemes"), "run", theme, "--", *args))


def one_shot(ctx: Context) -> tuple[Stage, ...]:
    pytest = (
        ctx.tools.exe("pytest"),
        *QUIET,
        "-p",
        "no:covthemes",
        "-n",
        str(ctx.cores),
        "--cov",
        "--cov-context=test",
        "--cov-report=",
        *ctx.suite.all_paths(),
    )
    html = (ctx.tools.exe("coverage"), "html", "-q")
    return (
        Stage("tests", (Job("tests", pytest),), 1),
        Stage("html", (Job("html", html),), 1),
    )


def themes_parallel(ctx: Context) -> tuple[Stage, ...]:
    jobs = tuple(theme_run(ctx, theme) for theme in ctx.suite.themes)
    return (Stage("themes", jobs, ctx.cores), publish_stage(ctx))


def themes_xdist(ctx: Context) -> tuple[Stage, ...]:
    jobs = tuple(theme_run(ctx, theme, "-n", str(ctx.cores)) for theme in ctx.suite.themes)
    return (Stage("themes", jobs, 1), publish_stage(ctx))


def themes_sharded(ctx: Context) -> tuple[Stage, ...]:
    if ctx.shards is None:
        raise ValueError("arm 4 needs its shard plan: benchmarks.shard_prep.prepare")
    jobs = tuple(
        Job(
            job.name,
            (
                ctx.tools.exe("covthemes"),
                "run",
                job.theme,
                *job.args.split(),
                "--",
                *QUIET,
                *ctx.suite.theme_paths(job.theme),
            ),
        )
        for job in ctx.shards.jobs
    )
    return (Stage("themes", jobs, ctx.cores), publish_stage(ctx))


def baseline_themes_publish(ctx: Context) -> tuple[Stage, ...]:
    return (publish_stage(ctx, PUBLISH_THEMES_BASELINE, "--baseline-contexts", "themes"),)


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
        after=baseline_themes_publish,
    ),
)
SHARDED = "shards"
REFERENCE = ARMS[0].key
