"""The machine and tool versions a benchmark ran with, for the table's caption.

Timings only mean something next to the CPU, the core count, the load from
other work while they ran, and the versions of Python, tox, uv, coverage and
pytest that produced them.
"""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path

from benchmarks import procs


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _uv_version() -> str:
    try:
        from uv import find_uv_bin  # installed with tox-uv

        return procs.tool_version([find_uv_bin(), "--version"])
    except Exception:  # a missing uv is reported, not fatal
        return procs.tool_version(["uv", "--version"])


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> dict:
    import coverage

    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory": _memory(),
        "os": f"{platform.system()} {platform.release()}",
        "harness python": sys.version.split()[0],
        "tox": procs.tool_version([sys.executable, "-m", "tox", "--version"]).split(" from ")[0],
        "tox-uv": _installed("tox-uv"),
        "virtualenv": _installed("virtualenv"),
        "uv": _uv_version(),
        "coverage (harness, P3)": coverage.__version__,
        "load average at start (1/5/15 min)": load(),
    }


def themed_envs(clone: Path, env: str) -> str:
    """Versions inside a themed env (`env`), as P1, P2 and the tracing table run them."""
    python = clone / ".tox" / env / "bin" / "python"
    probe = (
        "import platform, importlib.metadata as m; "
        "print(platform.python_version(), *(m.version(p) for p in ('coverage', 'pytest', 'pytest-cov')))"
    )
    out = procs.run([str(python), "-c", probe], clone, check=False).output.split()
    if len(out) != 4:
        return "unknown"
    return f"Python {out[0]}, coverage {out[1]}, pytest {out[2]}, pytest-cov {out[3]}"


def render(info: dict) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in info.items())
