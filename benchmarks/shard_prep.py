"""P6 arm 4's preparation: which theme to cut into shards, into how many, and its stored durations.

Untimed, once per suite, before the rounds, in a scratch copy of the suite:

1. count each theme's tests by collecting them (`pytest --collect-only -q`
   on the theme's files, the covthemes plugin off);
2. choose the largest theme, and cut it into N = ceil(cores x its share of
   the tests) shards, so that no shard holds more than one core's fair share
   of the suite (`plan`). Both P6 suites' largest theme holds 58-60% of the
   tests, so on 2 cores N = 2; networkx's `algorithms` holds 86% of the test
   time, and ceil(2 x 0.86) is 2 as well;
3. record that theme's test durations with `covthemes run THEME
   --store-durations` (pytest-split's durations file, by default
   `.covthemes-durations/THEME.json`), run with xdist on every core to keep
   the preparation short: the durations are what a team commits to its
   repository for pytest-split to balance the shards by;
4. write the durations file and `[tool.covthemes.settings.shards] THEME = N` into the
   prepared suite, so every arm's copy has them, as a checkout would. Only
   `covthemes run --shard` reads the durations and only `covthemes matrix`
   the shard count: arms 1 to 3 run as before.

Arm 4 (`benchmarks.arms`) then runs the jobs `covthemes matrix` lists (the
small themes whole, the largest in its shards), `cores` at a time, longest
first by their share of the tests, and publishes.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import clones, procs
from benchmarks.suites import Suite
from benchmarks.toolenv import ToolEnv
from covthemes.run import matrix
from covthemes.settings import config

_COLLECTED = re.compile(r"^(\d+)(?:/\d+)? tests? collected", re.MULTILINE)


@dataclass(frozen=True)
class ShardPlan:
    """The sharded theme, its shard count, and the matrix's jobs in the order arm 4 starts them."""

    theme: str
    count: int
    cores: int
    tests: dict[str, int]  # per theme, the tests collected
    jobs: tuple[matrix.Job, ...]  # longest first: by the tests each job holds
    durations: int  # tests with a stored duration
    durations_seconds: float  # their sum, which pytest-split balances
    prep_seconds: float  # wall time of the untimed preparation

    @property
    def share(self) -> float:
        total = sum(self.tests.values())
        return self.tests[self.theme] / total if total else 0.0

    def describe(self) -> str:
        if self.count == 1:
            return (
                f"none: the largest theme, `{self.theme}`, holds {self.share:.1%} of the tests, no more than "
                f"1/{self.cores} of them, so arm 4 runs the whole themes, longest first"
            )
        return (
            f"`{self.theme}` ({self.tests[self.theme]} of {sum(self.tests.values())} tests, "
            f"{self.share:.1%}) in {self.count} shards, ceil({self.cores} cores x {self.share:.3f}); "
            f"durations of {self.durations} tests ({self.durations_seconds:.1f} s) stored by an untimed "
            f"`covthemes run {self.theme} --store-durations -- -n {self.cores}` "
            f"(preparation {self.prep_seconds:.0f} s, collection counts included)"
        )


def shard_count(share: float, cores: int) -> int:
    """The fewest shards none of which holds more than 1/cores of the suite's tests."""
    return max(1, math.ceil(round(cores * share, 9)))


def job_tests(job: matrix.Job, tests: dict[str, int], count: int) -> float:
    """The tests a matrix job holds: its theme's, split evenly between the theme's shards."""
    return tests[job.theme] / (count if job.shard else 1)


def count_tests(suite: Suite, tools: ToolEnv, project: Path) -> dict[str, int]:
    """Per theme, the tests pytest collects from its files."""
    settings = config.load(project)
    files = settings.theme_files()
    counted = {}
    for theme in suite.themes:
        paths = suite.theme_paths(theme) or sorted(
            p.relative_to(project.resolve()).as_posix() for p in files[theme]
        )
        args = [tools.exe("pytest"), "--collect-only", "-q", "-p", "no:covthemes", "-p", "no:cacheprovider"]
        out = procs.run([*args, *paths], project).output
        found = _COLLECTED.findall(out)
        counted[theme] = int(found[-1]) if found else 0
    return counted


def prepare(suite: Suite, tools: ToolEnv, cores: int, work: Path, log) -> ShardPlan:
    started = time.perf_counter()
    scratch = suite.copy_to(work / f"{suite.key}-shard-prep")
    tests = count_tests(suite, tools, scratch)
    theme = max(suite.themes, key=lambda t: tests[t])
    count = shard_count(tests[theme] / max(1, sum(tests.values())), cores)
    log(f"P6 {suite.key}: arm 4 cuts {theme} ({tests}) into {count} shards; storing its durations (untimed)")
    settings = config.load(suite.root)
    durations_file = settings.durations_file(theme)
    stored: dict[str, float] = {}
    if count > 1:
        run = [tools.exe("covthemes"), "run", theme, "--store-durations", "--", "-q", "-n", str(cores)]
        procs.run([*run, *suite.theme_paths(theme)], scratch)
        stored = json.loads((scratch / durations_file).read_text())
        (suite.root / durations_file).parent.mkdir(parents=True, exist_ok=True)
        (suite.root / durations_file).write_text((scratch / durations_file).read_text())
        with (suite.root / "pyproject.toml").open("a") as pyproject:
            pyproject.write(
                "\n# Added by benchmarks/shard_prep.py for P6's arm 4.\n"
                f"[tool.covthemes.settings.shards]\n{theme} = {count}\n"
            )
    clones.remove(scratch)
    jobs = sorted(matrix.jobs(config.load(suite.root)), key=lambda j: -job_tests(j, tests, count))
    return ShardPlan(
        theme=theme,
        count=count,
        cores=cores,
        tests=tests,
        jobs=tuple(jobs),
        durations=len(stored),
        durations_seconds=sum(stored.values()),
        prep_seconds=time.perf_counter() - started,
    )
