"""Login throttling: too many failed logins lock an account for a while.

Rules (numbers from `AuthSettings`): `max_failed_logins` failures within a
sliding `failure_window_seconds` lock the name for `lockout_seconds`. The lock
consumes the failures that caused it, so after it ends the user gets a fresh
set of attempts; a successful login clears the count. Names that do not exist
are throttled exactly like real ones, so lockouts reveal nothing about which
accounts exist. Storage is in `store.py`'s database; the clock is the service's.
"""

from __future__ import annotations

import math
import sqlite3

from .errors import AccountLocked
from .settings import AuthSettings
from .store import Database


class LoginThrottle:
    """Counts failed logins per (normalised) username and enforces lockouts."""

    def __init__(self, db: Database, settings: AuthSettings) -> None:
        self._db = db
        self._settings = settings

    def check(self, username: str, now: float) -> None:
        """Raise `AccountLocked` while `username` is locked at time `now`."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT locked_until FROM auth_lockouts WHERE username = ?", (username,)
            ).fetchone()
        if row is not None and row[0] > now:
            raise AccountLocked(retry_after=math.ceil(row[0] - now))

    def record_failure(self, username: str, now: float) -> bool:
        """Count a failure; return True when it locked the account."""
        window_start = now - self._settings.failure_window_seconds
        with self._db.transaction() as conn:
            # Old rows are pruned here, so the table stays bounded by recent traffic.
            conn.execute("DELETE FROM auth_login_failures WHERE failed_at <= ?", (window_start,))
            conn.execute(
                "INSERT INTO auth_login_failures (username, failed_at) VALUES (?, ?)",
                (username, now),
            )
            count = conn.execute(
                "SELECT COUNT(*) FROM auth_login_failures WHERE username = ? AND failed_at > ?",
                (username, window_start),
            ).fetchone()[0]
            if count < self._settings.max_failed_logins:
                return False
            self._lock(conn, username, now + self._settings.lockout_seconds)
            return True

    def record_success(self, username: str) -> None:
        """Forget the failures of `username` after a successful login."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM auth_login_failures WHERE username = ?", (username,))
            conn.execute("DELETE FROM auth_lockouts WHERE username = ?", (username,))

    @staticmethod
    def _lock(conn: sqlite3.Connection, username: str, until: float) -> None:
        conn.execute(
            "INSERT INTO auth_lockouts (username, locked_until) VALUES (?, ?)"
            " ON CONFLICT(username) DO UPDATE SET locked_until = excluded.locked_until",
            (username, until),
        )
        conn.execute("DELETE FROM auth_login_failures WHERE username = ?", (username,))
