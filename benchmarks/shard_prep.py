"""The sharded arm's preparation, untimed, once per suite: which theme to cut, into how many shards.

In a scratch copy: count each theme's tests, cut the largest into the fewest
shards none of which holds more than one core's share (`shard_count`), and
store its test durations (`covthemes run THEME --store-durations`). The file
and `[tool.covthemes.shards]` go into the prepared suite, as a team commits
them; the arm runs the jobs `covthemes matrix` then lists, longest first.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import procs, tempdir, tool
from benchmarks.suites import Suite
from benchmarks.toolenv import ToolEnv

_COLLECTED = re.compile(r"^(\d+)(?:/\d+)? tests? collected", re.MULTILINE)


@dataclass(frozen=True)
class MatrixJob:  # one entry of `covthemes matrix --format github`
    theme: str
    shard: str  # `K/N`, or empty for a whole theme
    args: str  # what to pass to `covthemes run THEME`
    name: str


@dataclass(frozen=True)
class ShardPlan:
    theme: str
    count: int
    cores: int
    tests: dict[str, int]  # per theme, the tests collected
    jobs: tuple[MatrixJob, ...]  # longest first
    durations: dict[str, float]  # the stored test durations, which pytest-split balances
    prep_seconds: float

    @property
    def share(self) -> float:
        total = sum(self.tests.values())
        return self.tests[self.theme] / total if total else 0.0

    def describe(self) -> str:
        cut = (
            f"{self.count} shards, {len(self.durations)} durations stored" if self.count > 1 else "no shards"
        )
        return (
            f"`{self.theme}` ({self.share:.1%} of the tests) in {cut}; preparation {self.prep_seconds:.0f} s"
        )


def shard_count(share: float, cores: int) -> int:
    """The fewest shards none of which holds more than 1/cores of the suite's tests."""
    return max(1, math.ceil(round(cores * share, 9)))


def matrix_jobs(tools: ToolEnv, project: Path) -> list[MatrixJob]:
    out = procs.run([tools.exe("covthemes"), "matrix", "--format", "github"], project)
    return [MatrixJob(**entry) for entry in json.loads(out)["include"]]


def count_tests(suite: Suite, tools: ToolEnv, project: Path) -> dict[str, int]:
    """Per theme, the tests pytest collects from its files."""
    files = tool.load(project).theme_files()
    counted = {}
    for theme in suite.themes:
        paths = suite.theme_paths(theme) or sorted(
            str(p.relative_to(project.resolve())) for p in files[theme]
        )
        args = [tools.exe("pytest"), "--collect-only", "-q", "-p", "no:covthemes", "-p", "no:cacheprovider"]
        found = _COLLECTED.findall(procs.run([*args, *paths], project))
        counted[theme] = int(found[-1]) if found else 0
    return counted


def prepare(suite: Suite, tools: ToolEnv, cores: int, work: Path, log: Callable[[str], None]) -> ShardPlan:
    started = time.perf_counter()
    scratch = suite.copy_to(work / f"{suite.key}-shard-prep")
    tests = count_tests(suite, tools, scratch)
    theme = max(suite.themes, key=lambda t: tests[t])
    count = shard_count(tests[theme] / max(1, sum(tests.values())), cores)
    log(f"{suite.key}: the sharded arm cuts {theme} ({tests}) into {count} shards (untimed)")
    durations_file = tool.load(suite.root).durations_file(theme)
    stored: dict[str, float] = {}
    if count > 1:
        run = [tools.exe("covthemes"), "run", theme, "--store-durations", "--", "-q", "-n", str(cores)]
        procs.run([*run, *suite.theme_paths(theme)], scratch)
        stored = json.loads((scratch / durations_file).read_text())
        (suite.root / durations_file).parent.mkdir(parents=True, exist_ok=True)
        (suite.root / durations_file).write_text((scratch / durations_file).read_text())
        with (suite.root / "pyproject.toml").open("a") as pyproject:
            pyproject.write(f"\n[tool.covthemes.shards]\n{theme} = {count}\n")
    tempdir.remove(scratch)
    jobs = sorted(
        matrix_jobs(tools, suite.root), key=lambda job: -tests[job.theme] / (count if job.shard else 1)
    )
    return ShardPlan(theme, count, cores, tests, tuple(jobs), stored, time.perf_counter() - started)
