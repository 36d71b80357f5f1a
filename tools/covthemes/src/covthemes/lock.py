"""One publish, or one run of a theme, at a time in a checkout.

The lock is `filelock`'s operating-system lock: the kernel releases it when
its process dies, so a lock left by a killed process never blocks the next
run. The holder writes its process id to `<lock>.owner`, so that a run that
has to wait can say for whom.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout


@contextmanager
def held(path: Path, what: str) -> Iterator[None]:
    """Hold the lock at `path` for the duration; `what` names the work in the waiting message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    owner = path.with_name(path.name + ".owner")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _read_owner(owner)
        print(
            f"covthemes: waiting for {what}: another covthemes process ({holder}) holds {path}",
            file=sys.stderr,
            flush=True,
        )
        lock.acquire()
    try:
        owner.write_text(f"{os.getpid()}\n")
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()


def _read_owner(owner: Path) -> str:
    try:
        pid = owner.read_text().strip()
    except OSError:
        return "process id not yet recorded"
    return f"process {pid}" if pid else "process id not yet recorded"
