"""The measured tools' own environment, built with uv once per run (untimed); they run without tox.

covthemes from the snapshot, the tools uv.lock pins for the themed tox envs,
pytest-xdist and pytest-split pinned here (no group needs them), and pip,
which fetches networkx's sdist.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from benchmarks import procs

# Pinned, like every measured tool; uv.lock cannot, since no group needs them.
PINNED = ("pytest-xdist==3.8.0", "execnet==2.1.2", "pytest-split==0.11.0")
# Taken from uv.lock: the versions the themed tox envs run.
LOCKED = ("coverage", "pytest", "pytest-cov", "filelock", "pluggy", "iniconfig", "packaging", "pygments")
REPORTED = ("coverage", "pytest", "pytest-cov", "pytest-xdist", "pytest-split", "covthemes")
TOOL = Path("tools", "covthemes")
UV = (sys.executable, "-m", "uv")  # the `bench` group's uv


@dataclass(frozen=True)
class ToolEnv:
    root: Path

    def exe(self, name: str) -> str:
        return str(self.root / "bin" / name)

    def versions(self) -> str:
        probe = (
            "import platform, importlib.metadata as m; "
            f"print(platform.python_version(), *(m.version(p) for p in {REPORTED!r}))"
        )
        out = procs.run([self.exe("python"), "-c", probe], self.root).split()
        return ", ".join(f"{n} {v}" for n, v in zip(("Python", *REPORTED), out, strict=False))


def locked_versions(lock_file: Path, names: tuple[str, ...] = LOCKED) -> list[str]:
    """`name==version` for each of `names`, as uv.lock pins it."""
    packages = tomllib.loads(lock_file.read_text()).get("package", [])
    found = {p["name"]: p["version"] for p in packages if "version" in p}
    if missing := [n for n in names if n not in found]:
        raise procs.CommandFailed(f"uv.lock pins no {', '.join(missing)}: run `uv lock`")
    return [f"{n}=={found[n]}" for n in names]


def build(snapshot: Path, dest: Path, python: str = sys.executable) -> ToolEnv:
    """Create the environment at `dest` with the interpreter `python` (untimed)."""
    procs.run([*UV, "venv", "-q", "--python", python, str(dest)], snapshot)
    requirements = [str(snapshot / TOOL), *locked_versions(snapshot / "uv.lock"), *PINNED, "pip"]
    procs.run(
        [*UV, "pip", "install", "-q", "--python", str(dest / "bin" / "python"), *requirements], snapshot
    )
    return ToolEnv(dest)
