"""Database failures: readiness reports them, requests get a 503 problem, the process stays up."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.unit.api.helpers import assert_problem, log_records, register

pytestmark = pytest.mark.reliability


def make_unusable(db_path: str) -> None:
    """Replace the SQLite file with a directory: every new connection fails to open it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(db_path + suffix).unlink(missing_ok=True)
    os.mkdir(db_path)


def corrupt(db_path: str) -> None:
    """Overwrite the SQLite file with bytes that are not a database."""
    Path(db_path).write_bytes(b"this is not a sqlite database" * 200)


def test_readyz_is_503_when_database_path_is_unusable(client, db_path):
    """GET /readyz -> 503 problem once the database cannot be opened."""
    assert client.get("/readyz").status_code == 200
    make_unusable(db_path)
    assert_problem(client.get("/readyz"), 503, "service-unavailable")


def test_readyz_is_503_when_notes_table_is_gone(client, db_path):
    """Readiness checks the notes table too, not only that the file opens."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DROP TABLE api_notes")
    assert_problem(client.get("/readyz"), 503, "service-unavailable")


def test_healthz_stays_200_when_database_is_down(client, db_path):
    """Liveness does not depend on the database, so orchestrators do not restart a healthy process."""
    make_unusable(db_path)
    assert client.get("/healthz").status_code == 200


def test_readyz_recovers_when_database_returns(client, db_path):
    """Once the database answers again, readiness is 200 again."""
    make_unusable(db_path)
    assert client.get("/readyz").status_code == 503
    os.rmdir(db_path)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("CREATE TABLE api_notes (id INTEGER)")
    assert client.get("/readyz").status_code == 200


def test_notes_request_is_503_when_notes_storage_fails(client, alice, db_path):
    """A notes request on a broken table -> 503 problem, not a crash."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DROP TABLE api_notes")
    assert_problem(client.post("/v1/notes", json={"title": "t"}, headers=alice), 503, "service-unavailable")


def test_login_is_503_when_auth_storage_is_corrupt(client, db_path):
    """A login against a corrupted database file -> 503 problem from the wrapped sqlite error."""
    register(client, "alice")
    corrupt(db_path)
    response = client.post("/v1/auth/token", data={"username": "alice", "password": "whatever123"})
    assert_problem(response, 503, "service-unavailable")


def test_database_failure_is_logged_with_request_id(client, db_path, alice, log_output):
    """The 503 is logged at ERROR with the sqlite error and the request id."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("DROP TABLE api_notes")
    response = client.get("/v1/notes", headers=alice)
    (record,) = [r for r in log_records(log_output) if r["message"] == "database unavailable"]
    assert record["level"] == "ERROR"
    assert "no such table" in record["database_error"]
    assert record["request_id"] == response.headers["X-Request-ID"]


def test_app_keeps_serving_after_a_database_failure(client, db_path, alice):
    """One failed request does not poison the app: later requests succeed."""
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("ALTER TABLE api_notes RENAME TO parked")
    assert client.get("/v1/notes", headers=alice).status_code == 503
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("ALTER TABLE parked RENAME TO api_notes")
    assert client.get("/v1/notes", headers=alice).status_code == 200
