"""What one P6 arm's round measured, and what a suite's rounds add up to.

`benchmarks.atscale` runs the arms and fills these; `benchmarks.atscale_render`
tabulates them. The tests an arm ran come from two sides, so that the report
can show they agree: pytest's own summary line of each process, and the
`tests` covthemes recorded in each theme's provenance (a sharded theme's
shards summed).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.arms import PUBLISH
from benchmarks.pool import Finished
from benchmarks.shard_prep import ShardPlan
from benchmarks.suites import Suite
from covthemes.settings import config, shards

_SUMMARY = re.compile(r"^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s", re.MULTILINE)
_COUNT = re.compile(r"(\d+) (\w+)")


@dataclass(frozen=True)
class PublishRecord:
    """What `benchmarks.publish_steps` wrote: steps, sizes and peak memory, or the refusal."""

    total: float
    steps: dict[str, float]
    sizes: dict[str, int]
    peak_kib: dict[str, int]
    refused: tuple[str, ...] = ()
    baseline_contexts: str = "tests"

    @classmethod
    def read(cls, path: Path) -> PublishRecord | None:
        if not path.exists():
            return None
        raw = json.loads(path.read_text())
        return cls(
            total=raw.get("total", 0.0),
            steps=raw.get("steps", {}),
            sizes=raw.get("sizes", {}),
            peak_kib=raw.get("peak_kib", {}),
            refused=tuple(raw.get("refused", ())),
            baseline_contexts=raw.get("baseline_contexts", "tests"),
        )


@dataclass(frozen=True)
class ArmRun:
    arm: str
    round: int
    wall: float
    processes: list[Finished]
    load: str  # load average when the arm started
    failure: str | None = None
    publish: PublishRecord | None = None
    ran: dict[str, dict[str, int]] = field(default_factory=dict)  # per process: pytest's summary counts
    recorded: dict[str, int] = field(default_factory=dict)  # per theme: `tests` in its provenance
    report_bytes: dict[str, int] = field(default_factory=dict)  # what the one-shot arm wrote
    untimed: dict[str, PublishRecord] = field(default_factory=dict)  # the `after` stages' publishes

    @property
    def cpu(self) -> float:
        return sum(p.cpu for p in self.processes)

    def utilisation(self, cores: int) -> float:
        return self.cpu / (self.wall * cores) if self.wall > 0 else 0.0

    @property
    def longest(self) -> Finished | None:
        runs = [p for p in self.processes if p.label != PUBLISH]
        return max(runs, key=lambda p: p.seconds, default=None)

    def seconds_of(self, label: str) -> float | None:
        return next((p.seconds for p in self.processes if p.label == label), None)


@dataclass
class SuiteResult:
    suite: Suite
    runs: list[ArmRun]
    shards: ShardPlan | None = None

    def of(self, arm: str) -> list[ArmRun]:
        return [r for r in self.runs if r.arm == arm]


def pytest_counts(log_tail: str) -> dict[str, int]:
    """The counts of pytest's last summary line (`5837 passed, 371 skipped in 99.1s`)."""
    found = _SUMMARY.findall(log_tail)
    return {word: int(n) for n, word in _COUNT.findall(found[-1])} if found else {}


def recorded_tests(project: Path, themes: tuple[str, ...]) -> dict[str, int]:
    """Per theme, the `tests` of its provenance record, or the sum over its shards' records."""
    settings = config.load(project)
    found = {}
    for theme in themes:
        units = shards.found(project / settings.layout.data, theme) or [None]
        sidecars = [project / settings.provenance_file(theme, shard) for shard in units]
        if any(path.exists() for path in sidecars):
            found[theme] = sum(int(json.loads(p.read_text()).get("tests", 0)) for p in sidecars if p.exists())
    return found
