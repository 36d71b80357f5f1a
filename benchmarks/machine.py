"""The machine a run measured on, for the report's caption: timings mean little without it and its load."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _field(path: str, key: str) -> str:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return "unknown"
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith(key)), "unknown")


def describe(tree: str) -> str:
    """The CPU, cores, memory and system, the harness's Python, the tree measured, and the load now."""
    kib = _field("/proc/meminfo", "MemTotal:").removesuffix(" kB")
    memory = f"{int(kib) / 1024**2:.1f} GiB" if kib.isdigit() else "unknown memory"
    return (
        f"- CPU: {_field('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores, {memory}; "
        f"{platform.system()} {platform.release()}\n"
        f"- harness: Python {sys.version.split()[0]}; tree {tree}\n"
        f"- load average (1/5/15 min) at start: {load()}"
    )
