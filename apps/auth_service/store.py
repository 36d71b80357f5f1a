"""SQLite storage of accounts, refresh tokens and failed logins.

One connection per operation keeps the service safe to share between threads
(FastAPI runs sync endpoints in a thread pool); write transactions use
`BEGIN IMMEDIATE` so two concurrent refreshes of one token serialise. The
rules about what to store live in `service.py` and `throttle.py`.

Tables carry an `auth_` prefix because `apps.api` keeps its notes in the same file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import StorageError, UsernameTaken

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 5.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS auth_users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS auth_refresh_tokens (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES auth_users(id),
    family_id  TEXT    NOT NULL,
    issued_at  REAL    NOT NULL,
    expires_at REAL    NOT NULL,
    used_at    REAL,
    revoked_at REAL
);
CREATE INDEX IF NOT EXISTS auth_refresh_tokens_family ON auth_refresh_tokens(family_id);
CREATE INDEX IF NOT EXISTS auth_refresh_tokens_user ON auth_refresh_tokens(user_id);
CREATE TABLE IF NOT EXISTS auth_login_failures (
    username  TEXT NOT NULL,
    failed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS auth_login_failures_username ON auth_login_failures(username);
CREATE TABLE IF NOT EXISTS auth_lockouts (
    username     TEXT PRIMARY KEY,
    locked_until REAL NOT NULL
);
"""


@dataclass(frozen=True)
class UserRow:
    """A row of `auth_users`, including the hash; never leaves the package."""

    id: int
    username: str
    password_hash: str
    created_at: str
    disabled: bool


@dataclass(frozen=True)
class RefreshRow:
    """A row of `auth_refresh_tokens`."""

    token_hash: str
    user_id: int
    family_id: str
    issued_at: float
    expires_at: float
    used_at: float | None
    revoked_at: float | None


def _storage_error(path: str, exc: sqlite3.Error) -> StorageError:
    return StorageError(
        f"auth database {path!r} failed: {exc}; check that the file is a SQLite "
        "database and that it and its directory are writable"
    )


class Database:
    """Connections and schema of one SQLite file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: no implicit transactions; we open them explicitly.
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        # This pragma only sets a connection flag; it never reads the file, so it cannot fail
        # on a bad database and leave the connection unclosed.
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def ensure_schema(self) -> None:
        """Create the tables if needed (idempotent); refuse a newer schema version."""
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            try:
                conn = self._connect()
                try:
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    if version > SCHEMA_VERSION:
                        raise StorageError(
                            f"auth database {self.path!r} has schema version {version}, newer "
                            f"than this auth_service supports ({SCHEMA_VERSION}); upgrade the package"
                        )
                    conn.executescript(
                        "BEGIN IMMEDIATE;" + _SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};COMMIT;"
                    )
                finally:
                    conn.close()
            except sqlite3.Error as exc:
                raise _storage_error(self.path, exc) from exc
            self._schema_ready = True

    def _open(self) -> sqlite3.Connection:
        """A connection to a file with the schema in place; sqlite3 errors become `StorageError`."""
        self.ensure_schema()
        try:
            return self._connect()
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads; sqlite3 errors become `StorageError`."""
        conn = self._open()
        try:
            yield conn
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE): commits on success, rolls back on any error."""
        conn = self._open()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                # SQLite may already have rolled back (e.g. on a full disk); a second
                # ROLLBACK would then fail and hide the original error.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc
        finally:
            conn.close()

    def ping(self) -> bool:
        """True when the file opens as a SQLite database with our schema and answers `SELECT 1`."""
        try:
            self.ensure_schema()
            conn = self._connect()
            try:
                # `SELECT 1` alone never reads the file, so it answers even for a
                # file overwritten with garbage; the schema version read does not.
                conn.execute("PRAGMA schema_version").fetchone()
                answer: tuple[object, ...] | None = conn.execute("SELECT 1").fetchone()
                return answer == (1,)
            finally:
                conn.close()
        except (sqlite3.Error, StorageError):
            return False


_USER_COLUMNS = "id, username, password_hash, created_at, disabled"


def _user(row: tuple[Any, ...] | None) -> UserRow | None:
    if row is None:
        return None
    return UserRow(id=row[0], username=row[1], password_hash=row[2], created_at=row[3], disabled=bool(row[4]))


def insert_user(conn: sqlite3.Connection, username: str, password_hash: str, created_at: str) -> int:
    """Insert a user; raises `UsernameTaken` when the name exists."""
    try:
        cursor = conn.execute(
            "INSERT INTO auth_users (username, password_hash, created_at) VALUES (?, ?, ?)",
            (username, password_hash, created_at),
        )
    except sqlite3.IntegrityError:
        # The UNIQUE constraint decides, so two concurrent registrations cannot both win.
        raise UsernameTaken(f"username {username!r} is already taken") from None
    assert cursor.lastrowid is not None  # set by every INSERT that succeeded
    return int(cursor.lastrowid)


def user_by_name(conn: sqlite3.Connection, username: str) -> UserRow | None:
    """Return the user called `username`, or None."""
    return _user(
        conn.execute(f"SELECT {_USER_COLUMNS} FROM auth_users WHERE username = ?", (username,)).fetchone()
    )


def user_by_id(conn: sqlite3.Connection, user_id: int) -> UserRow | None:
    """Return the user with `user_id`, or None."""
    return _user(conn.execute(f"SELECT {_USER_COLUMNS} FROM auth_users WHERE id = ?", (user_id,)).fetchone())


def update_password_hash(conn: sqlite3.Connection, user_id: int, password_hash: str) -> None:
    """Replace a user's stored hash (rehash after a parameter change)."""
    conn.execute("UPDATE auth_users SET password_hash = ? WHERE id = ?", (password_hash, user_id))


def set_disabled(conn: sqlite3.Connection, user_id: int) -> None:
    """Mark a user disabled."""
    conn.execute("UPDATE auth_users SET disabled = 1 WHERE id = ?", (user_id,))


def insert_refresh_token(
    conn: sqlite3.Connection,
    *,
    token_hash: str,
    user_id: int,
    family_id: str,
    issued_at: float,
    expires_at: float,
) -> None:
    """Store a new refresh token hash."""
    conn.execute(
        "INSERT INTO auth_refresh_tokens (token_hash, user_id, family_id, issued_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (token_hash, user_id, family_id, issued_at, expires_at),
    )


def refresh_token_by_hash(conn: sqlite3.Connection, token_hash: str) -> RefreshRow | None:
    """Return the refresh token stored under `token_hash`, or None."""
    row = conn.execute(
        "SELECT token_hash, user_id, family_id, issued_at, expires_at, used_at, revoked_at"
        " FROM auth_refresh_tokens WHERE token_hash = ?",
        (token_hash,),
    ).fetchone()
    return None if row is None else RefreshRow(*row)


def mark_refresh_used(conn: sqlite3.Connection, token_hash: str, when: float) -> None:
    """Record that a refresh token was rotated."""
    conn.execute("UPDATE auth_refresh_tokens SET used_at = ? WHERE token_hash = ?", (when, token_hash))


def revoke_family(conn: sqlite3.Connection, family_id: str, when: float) -> None:
    """Revoke every token of a login's refresh chain."""
    conn.execute(
        "UPDATE auth_refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
        (when, family_id),
    )


def revoke_user_tokens(conn: sqlite3.Connection, user_id: int, when: float) -> None:
    """Revoke every refresh token of a user."""
    conn.execute(
        "UPDATE auth_refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        (when, user_id),
    )
