"""`publish`: `covthemes publish` alone, repeated on the theme data `at-scale`'s sharded arm left.

The publish is the step of the themed matrix a one-shot run lacks. Here it is
timed over several rounds on the same data, each over the previous round's
report, as a developer's second publish is. Goal: the publish of about 6,000
tests (networkx's size) within 20 s on 2 cores, judged from `GOAL_TESTS` tests.
`steps` reads how long each of its steps took from its stamped progress lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from benchmarks import atscale, procs, tables, tool
from benchmarks.procs import Finished, Job
from benchmarks.sections import SECTIONS, Context, Goal, Section
from benchmarks.stats import Series

NAME = "publish"
GOAL_SECONDS, GOAL_TESTS = 20.0, 5400  # "about 6,000": within 10%
ROUNDS, QUICK_ROUNDS = 5, 2
# A progress line of `covthemes publish` off a terminal (`covthemes.publish.progress`).
_STEP = re.compile(r"^covthemes: publish: step \d+/\d+, (.+)$")


def steps(stamped_log: str, seconds: float) -> dict[str, float]:
    """Each step's seconds, from the stamps of the lines that begin them; the last ends at `seconds`."""
    begun = [
        (float(stamp[1]), step[1])
        for line in stamped_log.splitlines()
        if (stamp := procs.STAMP.match(line)) and (step := _STEP.match(stamp[2]))
    ]
    ends = [start for start, _ in begun[1:]] + [seconds]
    return {name: end - start for (start, name), end in zip(begun, ends, strict=True)}


@dataclass(frozen=True)
class SuitePublish:
    suite: str
    tests: int  # recorded by covthemes in the published report
    runs: tuple[Finished, ...]

    def of(self, value: str) -> Series:
        return Series.of(getattr(r, value) for r in self.runs if r.returncode == 0)


@dataclass(frozen=True)
class Publishes:
    suites: tuple[SuitePublish, ...]
    judged: bool  # False for --quick

    def goals(self) -> tuple[Goal, ...]:
        return tuple(
            Goal(
                f"{NAME} {s.suite} ({s.tests} tests) <= {GOAL_SECONDS:.0f} s",
                s.of("seconds").at_most(GOAL_SECONDS) if self.judged and s.tests >= GOAL_TESTS else None,
            )
            for s in self.suites
        )

    def render(self) -> str:
        goal = f"<= {GOAL_SECONDS:.0f} s"
        header = ["`covthemes publish`", "tests", "rounds", "wall", "CPU", "peak RSS", goal]
        rows = []
        for s, judged in zip(self.suites, self.goals(), strict=True):
            wall, peak = s.of("seconds"), s.of("max_rss_kib").high * 1024
            rows.append([s.suite, str(s.tests), str(len(wall.samples)), tables.seconds(wall)])
            rows[-1] += [tables.seconds(s.of("cpu")), tables.size(peak), tables.verdict(judged.met)]
        failures = [
            f"{s.suite}:\n\n```text\n{f}\n```" for s in self.suites for r in s.runs if (f := r.failure())
        ]
        return "\n\n".join([f"### {NAME}", tables.table(header, rows), *failures])


def measure(run: Context) -> Publishes:
    at_scale = run.inputs[atscale.NAME]
    if not isinstance(at_scale, atscale.AtScale):
        raise TypeError(f"{NAME} needs {atscale.NAME}'s result, not {type(at_scale).__name__}")
    rounds = run.options.rounds or (QUICK_ROUNDS if run.options.quick else ROUNDS)
    found = []
    for project, key in ((s.published, s.suite.key) for s in at_scale.suites):
        if project is None:
            run.log(f"{NAME}: {key} has no theme data, because its sharded arm failed")
            continue
        run.log(f"{NAME}: {key}, {rounds} rounds")
        jobs = [Job(f"{NAME}-{n}", (at_scale.tools.exe("covthemes"), "publish")) for n in range(rounds)]
        done = procs.run_all(jobs, 1, project, run.work / key)
        recorded = sum(tool.recorded_tests(project).values())
        found.append(SuitePublish(key, recorded, tuple(done)))
    return Publishes(tuple(found), judged=not run.options.quick)


SECTIONS.register(
    Section(
        NAME,
        "`covthemes publish` alone, repeated on each suite's themed data, against 20 s at networkx's size",
        measure,
        needs=(atscale.NAME,),
    )
)
