"""Child processes: a scrubbed environment, wall-clock timing, interpreter discovery.

Every command the harness measures runs through `run()`, so all sections
time the same way: wall clock around the whole process, start-up included,
which is what a developer waits for, plus the CPU time of the process tree.
The scrubbing is the one the pipeline tests use (`devtools/worktree.py`): a
variable inherited from the `bench` tox env or from a coverage run would
otherwise redirect the child's data or contexts.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from devtools import worktree

EXTRA_PYTHONS = ("3.12", "3.13")


class CommandFailed(RuntimeError):
    """A measured command exited non-zero; the message carries its output tail."""


@dataclass
class Timed:
    seconds: float
    returncode: int
    output: str
    cpu: float  # user + system seconds of the process and every child it waited for


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def extra_python_dirs() -> list[str]:
    """bin folders of installed 3.12 and 3.13 interpreters that PATH lacks.

    pyenv keeps them behind shims that need PYENV_VERSION, so, like `.ci/run`,
    put the newest patch release of each minor version on PATH itself.
    """
    root = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    versions = Path(root) / "versions"
    found = []
    for minor in EXTRA_PYTHONS:
        candidates = sorted(
            (p for p in versions.glob(f"{minor}.*") if p.name.replace(".", "").isdigit()),
            key=lambda p: tuple(int(x) for x in p.name.split(".")),
        )
        if candidates and (candidates[-1] / "bin" / f"python{minor}").exists():
            found.append(str(candidates[-1] / "bin"))
    return found


def scrubbed_env(**extra: str) -> dict[str, str]:
    env = worktree.scrubbed_environ()
    # The bench env's own bin folder stays out of the child's PATH: children
    # resolve python and pytest to the environment the command names.
    own_bin = str(Path(sys.prefix) / "bin")
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != own_bin]
    # Appended, not prepended: `python3` keeps meaning the default interpreter.
    path += [d for d in extra_python_dirs() if d not in path]
    env["PATH"] = os.pathsep.join(path)
    env.update(extra)
    return env


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True) -> Timed:
    """Run `args` to completion; the wall time covers the whole process.

    CPU time comes along: on a machine other work is loading, it moves much
    less than wall time, so it tells a real change from a busy minute.
    """
    cpu_before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(
        args,
        cwd=cwd,
        env=env if env is not None else scrubbed_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    if check and proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-30:])
        raise CommandFailed(f"`{' '.join(map(str, args))}` in {cwd} exited {proc.returncode}:\n{tail}")
    return Timed(elapsed, proc.returncode, proc.stdout, cpu)


def tox_command(*args: str) -> list[str]:
    """tox from the harness's own environment (the `bench` env installs tox and tox-uv)."""
    return [sys.executable, "-m", "tox", *args]


def tool_version(args: list[str]) -> str:
    exe = shutil.which(args[0]) if not os.path.isabs(args[0]) else args[0]
    if exe is None:
        return "not found"
    proc = subprocess.run([exe, *args[1:]], capture_output=True, text=True, env=scrubbed_env(), check=False)
    return (proc.stdout or proc.stderr).strip().splitlines()[0] if (proc.stdout or proc.stderr) else "unknown"
