"""Database failures: unopenable, corrupt or too-new files give clear errors, and `ping()` tells."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from apps.auth_service import AuthError, AuthService, AuthSettings, InvalidCredentials, KeyRing, User, store
from apps.auth_service.errors import StorageError
from apps.auth_service.keys import save_keyring_file
from apps.auth_service.store import SCHEMA_VERSION
from tests.clock import FakeClock

from .support import PASSWORD, execute, query

pytestmark = pytest.mark.reliability


@pytest.fixture
def unopenable_service(tmp_path: Path, clock: FakeClock) -> AuthService:
    # The parent "directory" is a regular file, so SQLite can never open it;
    # unlike chmod, this also holds when the tests run as root.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return AuthService(AuthSettings(db_path=str(blocker / "auth.db"), hash_profile="test"), clock=clock)


@pytest.fixture
def corrupt_db_path(tmp_path: Path) -> str:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a sqlite database" * 200)
    return str(path)


def test_ping_true_for_a_healthy_database(service: AuthService) -> None:
    """`ping()` answers True for a working file."""
    assert service.ping() is True


def test_ping_false_when_database_cannot_be_opened(unopenable_service: AuthService) -> None:
    """`ping()` returns False instead of raising when the file cannot be opened."""
    assert unopenable_service.ping() is False


def test_ping_false_for_corrupt_file(corrupt_db_path: str, clock: FakeClock) -> None:
    """A file that is not a SQLite database makes `ping()` False."""
    service = AuthService(AuthSettings(db_path=corrupt_db_path, hash_profile="test"), clock=clock)
    assert service.ping() is False


def test_ping_false_when_file_is_corrupted_while_running(
    service: AuthService, user: User, db_path: str
) -> None:
    """Corruption after start-up is noticed by the next `ping()`."""
    assert service.ping() is True
    Path(db_path).write_bytes(b"\x00garbage" * 1000)
    assert service.ping() is False


def test_unopenable_database_raises_storage_error_naming_file(unopenable_service: AuthService) -> None:
    """Registering against an unopenable file names the file and what to check."""
    with pytest.raises(StorageError) as error:
        unopenable_service.register("alice", PASSWORD)
    message = str(error.value)
    assert unopenable_service.settings.db_path in message and "writable" in message


def test_corrupt_database_raises_storage_error(corrupt_db_path: str, clock: FakeClock) -> None:
    """Operations on a corrupt file raise `StorageError` with the sqlite reason, chained."""
    service = AuthService(AuthSettings(db_path=corrupt_db_path, hash_profile="test"), clock=clock)
    with pytest.raises(StorageError, match="not a database") as error:
        service.get_user("alice")
    assert isinstance(error.value.__cause__, sqlite3.DatabaseError)


def test_storage_error_is_not_an_auth_error() -> None:
    """A broken database must surface as a server fault, never as a credential failure."""
    assert not issubclass(StorageError, AuthError)


def test_newer_schema_version_is_refused(db_path: str, clock: FakeClock) -> None:
    """A database written by a newer release is refused with an upgrade hint, not modified."""
    execute(db_path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    service = AuthService(AuthSettings(db_path=db_path, hash_profile="test"), clock=clock)
    with pytest.raises(StorageError, match="upgrade"):
        service.get_user("alice")
    assert service.ping() is False


def test_locked_database_reports_storage_error(
    service: AuthService, user: User, db_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write blocked by another connection's lock fails with `StorageError` after the busy timeout."""
    # Shorten the 5 s busy timeout so the test stays fast; the behaviour is the same.
    monkeypatch.setattr(store, "BUSY_TIMEOUT_SECONDS", 0.01)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError, match="locked"):
            service.register("bob", PASSWORD)
        blocker.execute("ROLLBACK")
    finally:
        blocker.close()
    assert service.get_user("bob") is None


def test_failed_write_leaves_no_partial_state(service: AuthService, user: User, db_path: str) -> None:
    """A rejected operation inside a transaction rolls back everything it wrote."""
    service.disable("alice")
    with pytest.raises(AuthError):
        service.issue_tokens(user)
    assert query(db_path, "SELECT COUNT(*) FROM auth_refresh_tokens") == [(0,)]


def test_malformed_stored_hash_fails_login_without_crashing(
    service: AuthService, user: User, db_path: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A damaged hash row makes that login fail normally and logs an error for operators."""
    execute(db_path, "UPDATE auth_users SET password_hash = 'damaged' WHERE username = 'alice'")
    with pytest.raises(InvalidCredentials):
        service.authenticate("alice", PASSWORD)
    assert any("malformed" in record.getMessage() for record in caplog.records)


def test_service_recovers_after_directory_appears(tmp_path: Path, clock: FakeClock) -> None:
    """A missing directory is not cached as a permanent failure: once it exists, the service works."""
    path = tmp_path / "later" / "auth.db"
    service = AuthService(AuthSettings(db_path=str(path), hash_profile="test"), clock=clock)
    assert service.ping() is False
    path.parent.mkdir()
    assert service.ping() is True
    assert service.register("alice", PASSWORD).id == 1


def test_failed_key_file_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    """If the final rename fails, the error surfaces and no half-written temp file remains."""
    target = tmp_path / "keys.json"
    target.mkdir()  # a directory where the file should go: os.replace must fail
    with pytest.raises(OSError):
        save_keyring_file(target, KeyRing.generate())
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]
    assert target.is_dir()


def test_corruption_while_running_raises_storage_error_on_reads(
    service: AuthService, user: User, db_path: str
) -> None:
    """A file corrupted after start-up makes reads fail with `StorageError`, not wrong answers."""
    Path(db_path).write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StorageError, match="not a database"):
        service.get_user("alice")


def test_database_directory_removed_while_running(tmp_path: Path, clock: FakeClock) -> None:
    """If the directory vanishes, writes raise `StorageError` naming the file and `ping()` is False."""
    directory = tmp_path / "data"
    directory.mkdir()
    path = directory / "auth.db"
    service = AuthService(AuthSettings(db_path=str(path), hash_profile="test"), clock=clock)
    service.register("alice", PASSWORD)
    path.unlink()
    directory.rmdir()
    with pytest.raises(StorageError, match=r"auth\.db"):
        service.register("bob", PASSWORD)
    assert service.ping() is False
