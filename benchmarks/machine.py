"""The machine a run measured on, for the report's caption: timings mean little without it and its load."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path


def _proc_field(path: str, key: str) -> str:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return "unknown"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), "unknown")


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass(frozen=True)
class Machine:
    cpu: str
    cores: int
    memory_kib: str
    system: str
    python: str  # the harness's
    tree: str  # the commit measured, and how far the working tree is from it
    load_at_start: str

    @classmethod
    def describe(cls, tree: str) -> Machine:
        memory = _proc_field("/proc/meminfo", "MemTotal:").removesuffix(" kB")
        system = f"{platform.system()} {platform.release()}"
        python = sys.version.split()[0]
        return cls(
            _proc_field("/proc/cpuinfo", "model name"),
            os.cpu_count() or 1,
            memory,
            system,
            python,
            tree,
            load(),
        )

    def render(self) -> str:
        memory = f"{int(self.memory_kib) / 1024**2:.1f} GiB" if self.memory_kib.isdigit() else "unknown"
        return (
            f"- CPU: {self.cpu}, {self.cores} cores, {memory}; {self.system}\n"
            f"- harness: Python {self.python}; tree {self.tree}\n"
            f"- load average (1/5/15 min) at start: {self.load_at_start}"
        )
