"""The measured tools' own virtual environment: covthemes from the snapshot, pytest-xdist and pytest-split.

The sections call `covthemes`, `pytest` and `coverage` directly, not through
tox, so tox's start-up and environment checks stay out of the timings. uv
builds the environment once per run (untimed), on the Python asked for, and
installs:

- covthemes from the snapshot's `tools/covthemes` (not editable: what is
  measured is the snapshot's copy);
- coverage, pytest, pytest-cov, filelock and pytest's own dependencies at the
  versions uv.lock pins, so the harness measures with the themed tox envs'
  tools;
- pytest-xdist and pytest-split (with execnet) at the versions pinned below;
  the repository's groups do not need them, so uv.lock has none;
- pip, which fetches the third-party suite's sdist (`benchmarks.thirdparty`).
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
# uv comes with tox-uv in the `bench` env; run as a module, it needs no import here.
UV = (sys.executable, "-m", "uv")


@dataclass(frozen=True)
class ToolEnv:
    root: Path

    @property
    def python(self) -> str:
        return str(self.root / "bin" / "python")

    def exe(self, name: str) -> str:
        return str(self.root / "bin" / name)

    def versions(self) -> str:
        probe = (
            "import platform, importlib.metadata as m; "
            f"print(platform.python_version(), *(m.version(p) for p in {REPORTED!r}))"
        )
        out = procs.run([self.python, "-c", probe], self.root).split()
        return ", ".join(f"{n} {v}" for n, v in zip(("Python", *REPORTED), out, strict=False))


def locked_versions(lock_file: Path, names: tuple[str, ...] = LOCKED) -> list[str]:
    """`name==version` for each of `names`, as uv.lock pins it."""
    packages = tomllib.loads(lock_file.read_text()).get("package", [])
    found = {p["name"]: p["version"] for p in packages if "version" in p}
    missing = [n for n in names if n not in found]
    if missing:
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
