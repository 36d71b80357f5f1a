"""`publish`: `covthemes publish` alone, repeated on the theme data `at-scale`'s sharded arm left.

The publish is the step of the themed matrix a one-shot run does not have,
and on networkx it is most of the difference between the two. Here it is
timed on its own, several rounds of the same command on the same data, so
its figure does not rest on `at-scale`'s one round per arm: wall time, CPU
of the process and its report workers, and the peak memory of the largest
of them, through `benchmarks.pool`. Each round publishes over the previous
round's report, as a developer's second publish does.

Goal: the publish of about 6,000 tests (networkx's size) within 20 s on 2
cores, judged on a suite of at least `GOAL_TESTS` recorded tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks import atscale, pool, procs, tables, tool
from benchmarks.pool import Finished, Job
from benchmarks.sections import SECTIONS, Context, Goal, Section
from benchmarks.stats import Series

NAME = "publish"
GOAL_SECONDS = 20.0
GOAL_TESTS = 5400  # "about 6,000": within 10%
ROUNDS, QUICK_ROUNDS = 5, 2


@dataclass(frozen=True)
class SuitePublish:
    suite: str
    tests: int  # recorded by covthemes in the published report
    runs: tuple[Finished, ...]
    sizes: dict[str, int]

    @property
    def failure(self) -> str | None:
        return next((f for run in self.runs if (f := run.failure())), None)

    @property
    def wall(self) -> Series:
        return Series.of(r.seconds for r in self.runs if r.returncode == 0)

    @property
    def judged(self) -> bool:
        return self.tests >= GOAL_TESTS


@dataclass(frozen=True)
class Publishes:
    suites: tuple[SuitePublish, ...]
    judged: bool  # False for --quick

    def goals(self) -> tuple[Goal, ...]:
        return tuple(
            Goal(
                f"{NAME} {s.suite} ({s.tests} tests): <= {GOAL_SECONDS:.0f} s",
                s.wall.at_most(GOAL_SECONDS) if self.judged and s.judged else None,
            )
            for s in self.suites
        )

    def render(self) -> str:
        header = ["`covthemes publish`", "tests", "rounds", "wall", "CPU", "peak RSS", "goal"]
        rows = []
        for s, goal in zip(self.suites, self.goals(), strict=True):
            ok = [r for r in s.runs if r.returncode == 0]
            peak = tables.size(max(r.max_rss_kib for r in ok) * 1024) if ok else "n/a"
            cpu = tables.seconds(Series.of(r.cpu for r in ok))
            rows.append([s.suite, str(s.tests), str(len(ok)), tables.seconds(s.wall), cpu, peak])
            rows[-1].append(f"<= {GOAL_SECONDS:.0f} s: {tables.verdict(goal.met)}")
        parts = [f"### {NAME}", tables.table(header, rows)]
        names = list(dict.fromkeys(n for s in self.suites for n in s.sizes))
        sizes = [[s.suite, *(tables.size(s.sizes.get(n)) for n in names)] for s in self.suites]
        parts.append(tables.table(["published", *names], sizes))
        parts += [f"{s.suite} failed:\n\n```text\n{s.failure}\n```" for s in self.suites if s.failure]
        return "\n\n".join(parts)


def measure(run: Context) -> Publishes:
    at_scale = run.inputs[atscale.NAME]
    if not isinstance(at_scale, atscale.AtScale):
        raise TypeError(f"{NAME} needs {atscale.NAME}'s result, got {type(at_scale).__name__}")
    rounds = run.options.rounds or (QUICK_ROUNDS if run.options.quick else ROUNDS)
    publish = (at_scale.tools.exe("covthemes"), "publish")
    found = []
    for result in at_scale.suites:
        project = result.published
        if project is None:
            run.log(f"{NAME}: {result.suite.key} has no published data (its sharded arm failed)")
            continue
        run.log(f"{NAME}: {result.suite.key}, {rounds} rounds")
        jobs = [Job(f"{NAME}-{n}", publish) for n in range(rounds)]
        done = pool.run_all(jobs, 1, project, procs.scrubbed_env(), run.work / result.suite.key)
        recorded = sum(tool.recorded_tests(project).values())
        found.append(SuitePublish(result.suite.key, recorded, tuple(done), tool.published_sizes(project)))
    return Publishes(tuple(found), judged=not run.options.quick)


SECTIONS.register(
    Section(
        NAME,
        "`covthemes publish` alone, repeated on each suite's themed data, against 20 s at networkx's size",
        measure,
        needs=(atscale.NAME,),
    )
)
