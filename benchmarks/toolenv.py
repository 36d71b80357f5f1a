"""P6's own virtual environment: covthemes from the snapshot, pytest-xdist and pytest-split.

P6 calls `covthemes`, `pytest` and `coverage` directly, not through tox, so
tox's start-up and environment checks stay out of the timings. uv builds the
environment once per run (untimed) on the harness's interpreter and installs:

- covthemes from the snapshot's `tools/covthemes` (not editable: what is
  measured is the snapshot's copy);
- coverage, pytest, pytest-cov, filelock and pytest's own dependencies at the
  versions uv.lock pins, so P6 measures with the same tools as the themed
  tox envs;
- pytest-xdist and pytest-split (with execnet) at the versions pinned below;
  the repository's groups do not need them, so uv.lock has none;
- pip, which fetches the third-party suite's sdist (`benchmarks.thirdparty`).

Nothing else: the third-party suite's optional dependencies stay out
(`benchmarks.thirdparty` says why).
"""

from __future__ import annotations

import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from benchmarks import procs

# Pinned, like every measured tool; uv.lock cannot, since no group needs them.
PINNED = ("pytest-xdist==3.8.0", "execnet==2.1.2", "pytest-split==0.11.0")
# Taken from uv.lock: the versions the themed tox envs run.
LOCKED = ("coverage", "pytest", "pytest-cov", "filelock", "pluggy", "iniconfig", "packaging", "pygments")
TOOL = Path("tools", "covthemes")


@dataclass(frozen=True)
class ToolEnv:
    """The environment's executables, and the snapshot `benchmarks.publish_steps` is run from."""

    root: Path
    snapshot: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> str:
        return str(self.bin / "python")

    def exe(self, name: str) -> str:
        return str(self.bin / name)

    def versions(self) -> str:
        probe = (
            "import platform, importlib.metadata as m; print(platform.python_version(), *(m.version(p) for p "
            "in ('coverage', 'pytest', 'pytest-cov', 'pytest-xdist', 'pytest-split', 'covthemes')))"
        )
        out = procs.run([self.python, "-c", probe], self.root).output.split()
        names = ("Python", "coverage", "pytest", "pytest-cov", "pytest-xdist", "pytest-split", "covthemes")
        return ", ".join(f"{n} {v}" for n, v in zip(names, out, strict=False))


def locked_versions(lock_file: Path, names: tuple[str, ...] = LOCKED) -> list[str]:
    """`name==version` for each of `names`, as uv.lock pins it."""
    packages = tomllib.loads(lock_file.read_text()).get("package", [])
    found = {p["name"]: p["version"] for p in packages if "version" in p}
    missing = [n for n in names if n not in found]
    if missing:
        raise procs.CommandFailed(f"uv.lock pins no {', '.join(missing)}: run `uv lock`")
    return [f"{n}=={found[n]}" for n in names]


def _uv() -> str:
    try:
        from uv import find_uv_bin  # installed with tox-uv in the bench env

        return find_uv_bin()
    except Exception:  # no uv package: the one on PATH
        return shutil.which("uv") or "uv"


def build(snapshot: Path, dest: Path, python: str) -> ToolEnv:
    """Create the environment at `dest` with `python` (untimed)."""
    uv = _uv()
    procs.run([uv, "venv", "-q", "--python", python, str(dest)], snapshot)
    requirements = [str(snapshot / TOOL), *locked_versions(snapshot / "uv.lock"), *PINNED, "pip"]
    procs.run([uv, "pip", "install", "-q", "--python", str(dest / "bin" / "python"), *requirements], snapshot)
    return ToolEnv(dest, snapshot)
