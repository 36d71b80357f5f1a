"""Child processes: the untimed ones that prepare (`run`), and the measured ones (`run_all`).

All get the pipeline tests' scrubbed environment (`devtools/worktree.py`). A
measured one is reaped with `os.wait4`, which counts every descendant it waited
for (xdist's and the publish's workers), and gets its own `TMPDIR`: concurrent
pytest sessions sharing one race on its cleanup, as `tox.ini` explains. A
`stamped` job's output is logged line by line with the seconds since it
started (`STAMP`), which times the steps a command reports as it goes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from devtools import worktree

STAMP = re.compile(r"^\[(\d+\.\d+)\] (.*)$")  # a stamped log line: `[12.345] text`


class CommandFailed(RuntimeError):
    """A command exited non-zero, or a prepared input is wrong; the message says which and why."""


def load() -> str:
    """The load average over 1, 5 and 15 minutes, which other work on the machine raises."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def scrubbed_env() -> dict[str, str]:
    env = worktree.scrubbed_environ()
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


@dataclass(frozen=True)
class Job:
    label: str  # names the command in tables and its log file
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()  # set for this command, over the scrubbed environment
    stamped: bool = False  # log each output line with the seconds since the start


@dataclass(frozen=True)
class Finished:
    label: str
    args: tuple[str, ...]
    returncode: int
    seconds: float  # wall clock, from start to reaping
    cpu: float  # user + system seconds of the process and the descendants it waited for
    max_rss_kib: int  # the largest resident set of the process or one of those descendants
    log: Path

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def failure(self) -> str | None:
        return (
            f"`{' '.join(self.args)}` exited {self.returncode}:\n{self.tail()}" if self.returncode else None
        )


def _stamp(pipe: IO[str], out: IO[str], started: float) -> None:
    for line in pipe:
        out.write(f"[{time.perf_counter() - started:.3f}] {line}")


def _measure(job: Job, cwd: Path, env: Mapping[str, str], logs: Path) -> Finished:
    log, tmp = logs / f"{job.label}.log", logs / f"tmp-{job.label}"
    tmp.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        started = time.perf_counter()
        child_env = {**env, **dict(job.env), "TMPDIR": str(tmp)}
        stdout = subprocess.PIPE if job.stamped else out
        proc = subprocess.Popen(
            job.args, cwd=cwd, env=child_env, stdout=stdout, stderr=subprocess.STDOUT, text=True
        )
        reader = None
        if proc.stdout is not None:  # stamped: a thread reads the pipe as the lines come
            reader = threading.Thread(target=_stamp, args=(proc.stdout, out, started))
            reader.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if reader is not None:
            reader.join()
    proc.returncode = code = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    return Finished(job.label, job.args, code, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, log)


def run_all(jobs: Sequence[Job], slots: int, cwd: Path, logs: Path) -> list[Finished]:
    """Run `jobs` in `cwd`, at most `slots` at once, started in the order given as `tox -p` does."""
    env = scrubbed_env()
    with ThreadPoolExecutor(max_workers=max(1, slots)) as pool:
        return list(pool.map(lambda job: _measure(job, cwd, env, logs), jobs))
