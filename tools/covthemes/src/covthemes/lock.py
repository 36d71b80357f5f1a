"""One publish, or one run of a theme, at a time in a checkout.

The lock is `filelock`'s operating-system lock: the kernel releases it when
its process dies, so a lock left by a killed process never blocks the next
run. The holder writes its process id to `<lock>.owner`, so that a run that
has to wait can say for whom.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

UNRECORDED = "process id not yet recorded"
# Seconds a waiting process gives the holder to record its process id.
OWNER_GRACE = 1.0


@contextmanager
def held(path: Path, what: str) -> Iterator[None]:
    """Hold the lock at `path` for the duration; `what` names the work in the waiting message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    owner = path.with_name(path.name + ".owner")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _recorded_holder(lock, owner)
        if holder is not None:
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


def _recorded_holder(lock: FileLock, owner: Path) -> str | None:
    """Who holds `lock`, or None once this process has taken it after all.

    The holder writes its owner file just after it takes the lock; a process
    that found the lock taken in between waits up to OWNER_GRACE seconds for
    that record, so that the waiting message can name the holder.
    """
    deadline = time.monotonic() + OWNER_GRACE
    holder = _read_owner(owner)
    while holder == UNRECORDED and time.monotonic() < deadline:
        try:
            lock.acquire(timeout=0.01)
        except Timeout:
            holder = _read_owner(owner)
        else:
            return None
    return holder


def _read_owner(owner: Path) -> str:
    try:
        pid = owner.read_text().strip()
    except OSError:
        return UNRECORDED
    return f"process {pid}" if pid else UNRECORDED
