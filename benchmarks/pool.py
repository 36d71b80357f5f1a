"""Run measured commands several at a time, each with its own wall time, CPU time and peak memory.

`os.wait4` returns the resource use of one child with every descendant it
waited for (xdist's workers, the publish's report workers), so concurrent
commands are still timed one by one. At most `slots` run at once, started in
the order given, as `tox -p` schedules its environments. Each gets a log
file and a `TMPDIR` of its own: concurrent pytest sessions sharing
`/tmp/pytest-of-<user>` race on its cleanup, as `tox.ini` explains.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Job:
    label: str  # names the command in tables and its log file
    args: tuple[str, ...]


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
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def failure(self) -> str | None:
        if self.returncode == 0:
            return None
        return f"`{' '.join(self.args)}` exited {self.returncode}:\n{self.tail()}"


def _run(job: Job, cwd: Path, env: Mapping[str, str], logs: Path) -> Finished:
    log = logs / f"{job.label}.log"
    tmp = logs / f"tmp-{job.label}"
    tmp.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            job.args,
            cwd=cwd,
            env={**env, "TMPDIR": str(tmp)},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    # Reaped here, so Popen must not wait for it again.
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Finished(
        job.label, job.args, proc.returncode, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, log
    )


def run_all(jobs: Sequence[Job], slots: int, cwd: Path, env: Mapping[str, str], logs: Path) -> list[Finished]:
    """Run `jobs`, at most `slots` at once, in `cwd`; return them finished, in the order given."""
    logs.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, slots)) as pool:
        return list(pool.map(lambda job: _run(job, cwd, env, logs), jobs))
