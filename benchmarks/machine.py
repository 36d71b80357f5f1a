"""The machine a run measured on, for the report's caption.

Timings only mean something next to the CPU, the core count, and the load
from other work while they ran; the tools' versions are each section's own
(`benchmarks.toolenv`).
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    memory: str
    system: str
    python: str  # the harness's
    tree: str  # the commit measured, and how far the working tree is from it
    load_at_start: str

    @classmethod
    def describe(cls, tree: str) -> Machine:
        kib = _proc_field("/proc/meminfo", "MemTotal:")
        return cls(
            cpu=_proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
            cores=os.cpu_count() or 1,
            memory=f"{int(kib.split()[0]) / 1024 / 1024:.1f} GiB" if kib else "unknown",
            system=f"{platform.system()} {platform.release()}",
            python=sys.version.split()[0],
            tree=tree,
            load_at_start=load(),
        )

    def render(self) -> str:
        return "\n".join(
            [
                f"- CPU: {self.cpu}, {self.cores} cores, {self.memory}; {self.system}",
                f"- harness: Python {self.python}; tree {self.tree}",
                f"- load average (1/5/15 min) at start: {self.load_at_start}",
            ]
        )
