"""Notes storage: the API's own table in the SQLite file the auth service also uses.

Every query is scoped by the owner's user id, so one user can never read, change
or delete another user's note; the routes in apps/api/routes/notes.py turn a
`None` from here into the same 404 a missing note gets. Accounts live in the auth
service's tables; notes refer to them by id only, so neither schema depends on
the other's layout.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS api_notes_owner ON api_notes (owner_id, id);
"""
_COLUMNS = "id, owner_id, title, body, created_at, updated_at"
# Writers wait this long for a lock held by another connection (the auth service
# writes to the same file) instead of failing at once with "database is locked".
_BUSY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Note:
    """One stored note."""

    id: int
    owner_id: int
    title: str
    body: str
    created_at: str
    updated_at: str


class NotesStore:
    """CRUD for notes, always on behalf of one owner.

    A connection is opened per operation: FastAPI runs these calls on worker
    threads, and sqlite3 connections must not be shared between threads.
    """

    def __init__(self, db_path: str, *, clock: Callable[[], float] = time.time) -> None:
        self._db_path = db_path
        self._clock = clock
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    def create(self, owner_id: int, title: str, body: str) -> Note:
        """Store a new note for `owner_id` and return it."""
        now = self._now()
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO api_notes (owner_id, title, body, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (owner_id, title, body, now, now),
            )
            note_id = cursor.lastrowid
        assert note_id is not None  # set by every INSERT that succeeded
        return Note(note_id, owner_id, title, body, now, now)

    def list_owned(self, owner_id: int) -> list[Note]:
        """Return the notes of `owner_id`, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM api_notes WHERE owner_id = ? ORDER BY id", (owner_id,)
            ).fetchall()
        return [Note(*row) for row in rows]

    def get(self, owner_id: int, note_id: int) -> Note | None:
        """Return the note, or None when it does not exist or belongs to someone else."""
        with self._connect() as conn:
            return self._get(conn, owner_id, note_id)

    def update(
        self, owner_id: int, note_id: int, *, title: str | None = None, body: str | None = None
    ) -> Note | None:
        """Change the given fields; None when the note is not the owner's (or absent)."""
        with self._connect() as conn:
            note = self._get(conn, owner_id, note_id)
            if note is None:
                return None
            if title is None and body is None:
                return note
            now = self._now()
            new_title = note.title if title is None else title
            new_body = note.body if body is None else body
            conn.execute(
                "UPDATE api_notes SET title = ?, body = ?, updated_at = ? WHERE id = ? AND owner_id = ?",
                (new_title, new_body, now, note_id, owner_id),
            )
        return Note(note.id, owner_id, new_title, new_body, note.created_at, now)

    def delete(self, owner_id: int, note_id: int) -> bool:
        """Delete the note; False when it is not the owner's (or absent)."""
        with self._connect() as conn:
            cursor = conn.execute("DELETE FROM api_notes WHERE id = ? AND owner_id = ?", (note_id, owner_id))
            return cursor.rowcount == 1

    def ping(self) -> bool:
        """True when the database file opens and the notes table answers."""
        try:
            with self._connect() as conn:
                conn.execute("SELECT 1 FROM api_notes LIMIT 1").fetchall()
        except sqlite3.Error:
            return False
        return True

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # closing() closes the connection; the second context, `conn` itself, commits or rolls back.
        with closing(sqlite3.connect(self._db_path, timeout=_BUSY_TIMEOUT_SECONDS)) as conn, conn:
            yield conn

    @staticmethod
    def _get(conn: sqlite3.Connection, owner_id: int, note_id: int) -> Note | None:
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM api_notes WHERE id = ? AND owner_id = ?", (note_id, owner_id)
        ).fetchone()
        return None if row is None else Note(*row)

    def _now(self) -> str:
        moment = datetime.fromtimestamp(self._clock(), tz=UTC)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
