"""Child processes the harness prepares with (untimed): a scrubbed environment, and a run that fails loudly.

Measured commands run through `benchmarks.pool`, which times each one. The
scrubbing is the one the pipeline tests use (`devtools/worktree.py`): a
variable inherited from the `bench` tox env or from a coverage run would
otherwise redirect the child's data or contexts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from devtools import worktree


class CommandFailed(RuntimeError):
    """A command exited non-zero, or a prepared input is wrong; the message says which and why."""


def scrubbed_env() -> dict[str, str]:
    env = worktree.scrubbed_environ()
    # The bench env's own bin folder stays out of the child's PATH: children
    # resolve python and pytest to the environment the command names.
    own_bin = str(Path(sys.prefix) / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p and p != own_bin)
    return env


def run(args: list[str], cwd: Path) -> str:
    """Run `args` in `cwd` to completion and return its output; CommandFailed with its tail otherwise."""
    proc = subprocess.run(
        args, cwd=cwd, env=scrubbed_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-30:])
        raise CommandFailed(f"`{' '.join(args)}` in {cwd} exited {proc.returncode}:\n{tail}")
    return proc.stdout
