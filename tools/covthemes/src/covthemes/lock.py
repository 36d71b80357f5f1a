"""One publish, or one run of a theme, at a time in a checkout.

The lock is `filelock`'s operating-system lock: the kernel releases it when
its process dies, so a lock left by a killed process never blocks the next
run. The holder writes its process id to `<lock>.owner`, so that a run that
has to wait can say for whom. Neither file is ever opened through a symbolic
link: one planted at either name is refused by name, its target untouched
(filelock 3.x opened its lock file through a link, and truncated its target).
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from covthemes import atomic
from covthemes.errors import CovthemesError

UNRECORDED = "process id not yet recorded"
# Seconds a waiting process gives the holder to record its process id.
OWNER_GRACE = 1.0


@contextmanager
def held(path: Path, what: str) -> Iterator[None]:
    """Hold the lock at `path` for the duration; `what` names the work in the waiting message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    owner = path.with_name(path.name + ".owner")
    atomic.refuse_link(path)
    lock = FileLock(str(path))
    try:
        _acquire(lock, path, owner, what)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # a link planted since the check above
            atomic.refuse_link(path)
        raise
    try:
        _record_owner(owner)
    except BaseException:
        lock.release()
        raise
    try:
        yield
    finally:
        owner.unlink(missing_ok=True)  # ours, or a link put in its place: never its target
        lock.release()


def _acquire(lock: FileLock, path: Path, owner: Path, what: str) -> None:
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


def _record_owner(owner: Path) -> None:
    """Write this process's id to `owner`, new, never through a link (one is refused by name)."""
    atomic.refuse_link(owner)
    # A record left by a killed holder: the lock is ours now, so it is stale.
    owner.unlink(missing_ok=True)
    try:
        atomic.create_new(owner, f"{os.getpid()}\n")
    except FileExistsError:
        # Something was put there between the unlink and the create.
        atomic.refuse_link(owner)
        raise CovthemesError(
            f"{owner} appeared while covthemes was recording its process id there: delete it, "
            "then run the command again"
        ) from None


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
        pid = atomic.read_own(owner).strip()
    except OSError:
        return UNRECORDED
    return f"process {pid}" if pid.isdigit() else UNRECORDED
