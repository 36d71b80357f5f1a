"""`covthemes.lock`: one holder at a time, a waiting message naming the holder, no stale locks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from covthemes import lock
from covthemes.errors import CovthemesError

HOLDER = """\
import sys
from pathlib import Path

from covthemes.lock import held

with held(Path(sys.argv[1]), "the child's work"):
    print("held", flush=True)
    sys.stdin.read()  # until the parent closes it
"""


@pytest.fixture
def lock_path(tmp_path: Path) -> Path:
    """Where the lock goes; its folder does not exist yet."""
    return tmp_path / "locks" / ".publish.lock"


@pytest.fixture
def holder(lock_path: Path, child_env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """A child process holding the lock until its stdin closes."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=child_env,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "held\n"
    yield child
    if child.poll() is None:
        child.kill()
    child.wait()
    for stream in (child.stdin, child.stdout):
        if stream:
            stream.close()


def test_held_records_owner_and_cleans_up(lock_path: Path) -> None:
    """The holder's pid is in `<lock>.owner` while held, and the owner file goes after."""
    owner = lock_path.with_name(".publish.lock.owner")
    with lock.held(lock_path, "work"):
        assert owner.read_text() == f"{os.getpid()}\n"
    assert not owner.exists()


def test_second_holder_waits_and_names_the_first(
    lock_path: Path, holder: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A second holder says whom it waits for, and gets the lock once the first lets go."""
    acquired = threading.Event()

    def second() -> None:
        with lock.held(lock_path, "the test's work"):
            acquired.set()

    thread = threading.Thread(target=second)
    thread.start()
    err = ""
    deadline = time.monotonic() + 10
    while "waiting" not in err and time.monotonic() < deadline:
        time.sleep(0.01)
        err += capsys.readouterr().err
    assert err == (
        f"covthemes: waiting for the test's work: another covthemes process (process {holder.pid}) "
        f"holds {lock_path}\n"
    )
    assert not acquired.is_set()
    assert holder.stdin is not None
    holder.stdin.close()
    thread.join(timeout=10)
    assert acquired.is_set()


def test_lock_of_killed_holder_does_not_block(
    lock_path: Path, holder: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A holder killed with SIGKILL leaves its owner file, but the kernel freed the lock."""
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path.with_name(".publish.lock.owner").exists()
    with lock.held(lock_path, "work"):
        pass
    assert capsys.readouterr().err == ""


def test_owner_unknown_until_recorded(tmp_path: Path) -> None:
    """Before the holder writes its pid, the message says so."""
    assert lock._read_owner(tmp_path / "missing.owner") == "process id not yet recorded"
    (tmp_path / "empty.owner").write_text("\n")
    assert lock._read_owner(tmp_path / "empty.owner") == "process id not yet recorded"
    (tmp_path / "full.owner").write_text("42\n")
    assert lock._read_owner(tmp_path / "full.owner") == "process 42"


@pytest.fixture
def taken(lock_path: Path) -> Iterator[FileLock]:
    """The lock, held in this process by another FileLock, with no owner file written yet."""
    lock_path.parent.mkdir(parents=True)
    other = FileLock(str(lock_path))
    other.acquire()
    yield other
    other.release()


def wait_in_thread(lock_path: Path) -> tuple[threading.Thread, threading.Event]:
    """Start a thread that takes the lock with `held`; the event is set once it has it."""
    acquired = threading.Event()

    def wait() -> None:
        with lock.held(lock_path, "the test's work"):
            acquired.set()

    thread = threading.Thread(target=wait)
    thread.start()
    return thread, acquired


def read_err_until(capsys: pytest.CaptureFixture[str], text: str) -> str:
    """Standard error captured until `text` appears in it, or 10 seconds pass."""
    err = ""
    deadline = time.monotonic() + 10
    while text not in err and time.monotonic() < deadline:
        time.sleep(0.01)
        err += capsys.readouterr().err
    return err


def test_waiter_names_an_owner_recorded_late(
    lock_path: Path, taken: FileLock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A holder that records its pid within the grace period is named in the waiting message."""
    thread, acquired = wait_in_thread(lock_path)
    time.sleep(0.1)  # the waiter is in its grace period: no owner file yet
    assert capsys.readouterr().err == ""
    lock_path.with_name(".publish.lock.owner").write_text("4242\n")
    err = read_err_until(capsys, "waiting")
    assert err == (
        "covthemes: waiting for the test's work: another covthemes process (process 4242) "
        f"holds {lock_path}\n"
    )
    assert not acquired.is_set()
    taken.release()
    thread.join(timeout=10)
    assert acquired.is_set()


def test_lock_freed_during_the_grace_period_is_taken_silently(
    lock_path: Path, taken: FileLock, capsys: pytest.CaptureFixture[str]
) -> None:
    """A holder that lets go before recording its pid: the waiter takes the lock and says nothing."""
    thread, acquired = wait_in_thread(lock_path)
    time.sleep(0.1)
    taken.release()
    thread.join(timeout=10)
    assert acquired.is_set()
    assert capsys.readouterr().err == ""


def test_owner_never_recorded_is_said_so(
    lock_path: Path, taken: FileLock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the grace period without an owner file, the message says the pid is not yet recorded."""
    monkeypatch.setattr(lock, "OWNER_GRACE", 0.05)  # from 1 s: the wait itself is what is tested
    thread, acquired = wait_in_thread(lock_path)
    err = read_err_until(capsys, "waiting")
    assert "another covthemes process (process id not yet recorded)" in err
    taken.release()
    thread.join(timeout=10)
    assert acquired.is_set()


@pytest.mark.parametrize("planted", [".publish.lock", ".publish.lock.owner"])
def test_a_link_planted_at_a_lock_file_is_refused_and_its_target_untouched(
    lock_path: Path, tmp_path: Path, planted: str
) -> None:
    """A symlink at the lock or its owner record is refused in one line naming it; its target is untouched."""
    target = tmp_path / "precious"
    target.write_text("precious\n")
    lock_path.parent.mkdir()
    link = lock_path.with_name(planted)
    link.symlink_to(target)
    with pytest.raises(CovthemesError) as refused, lock.held(lock_path, "the work"):
        pass  # pragma: no cover - never entered
    assert refused.value.problems == (
        f"{link} is a symbolic link where covthemes keeps a working file of its own, and covthemes never "
        f"writes through one: delete the link (`rm {link}`), then run the command again",
    )
    assert target.read_text() == "precious\n"
    assert link.is_symlink()
    link.unlink()
    with lock.held(lock_path, "the work after the fix"):
        assert lock_path.with_name(".publish.lock.owner").read_text() == f"{os.getpid()}\n"


def test_a_link_planted_between_check_and_open_is_still_refused(
    lock_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock file turned into a link after the check makes filelock fail with ELOOP: still the one line."""
    lock_path.parent.mkdir()
    checks = iter([None])

    def late_link(path: Path) -> None:
        if next(checks, "again") is None:
            path.symlink_to(tmp_path / "elsewhere")  # after the first check passed
        elif path.is_symlink():
            raise CovthemesError(f"{path} refused")

    monkeypatch.setattr(lock.atomic, "refuse_link", late_link)
    with pytest.raises(CovthemesError, match="refused"), lock.held(lock_path, "the work"):
        pass  # pragma: no cover - never entered
    assert not (tmp_path / "elsewhere").exists()


def test_an_owner_record_left_by_a_killed_holder_is_replaced(lock_path: Path) -> None:
    """A stale regular owner file is the dead holder's: the new holder replaces it."""
    lock_path.parent.mkdir()
    lock_path.with_name(".publish.lock.owner").write_text("99999999\n")
    with lock.held(lock_path, "the work"):
        assert lock_path.with_name(".publish.lock.owner").read_text() == f"{os.getpid()}\n"


def test_an_owner_record_that_appears_after_the_unlink_is_refused(
    lock_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file put at the owner's name between the stale record's removal and the create stops the run."""
    lock_path.parent.mkdir()
    owner = lock_path.with_name(".publish.lock.owner")

    def raced(path: Path, text: str) -> None:
        path.write_text("someone else\n")
        raise FileExistsError(path)

    monkeypatch.setattr(lock.atomic, "create_new", raced)
    with (
        pytest.raises(CovthemesError, match="appeared while covthemes was recording"),
        lock.held(lock_path, "the work"),
    ):
        pass  # pragma: no cover - never entered
    assert owner.read_text() == "someone else\n"
    monkeypatch.undo()
    with lock.held(lock_path, "the lock was released"):
        pass


def test_an_owner_record_read_through_a_link_names_no_holder(tmp_path: Path) -> None:
    """A waiting process never reads a file through a link at the owner's name."""
    (tmp_path / "secret").write_text("123\n")
    (tmp_path / "x.owner").symlink_to(tmp_path / "secret")
    assert lock._read_owner(tmp_path / "x.owner") == lock.UNRECORDED
