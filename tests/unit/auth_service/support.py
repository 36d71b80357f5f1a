"""Helpers shared by the auth_service tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import base64
import json
import sqlite3

START = 1_700_000_000.0  # 2023-11-14T22:13:20Z
PASSWORD = "correct horse battery"


def b64url(raw: bytes) -> str:
    """Unpadded base64url, as JWT segments and key secrets use."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def forge_token(header: dict, payload: dict, signature: bytes = b"") -> str:
    """Assemble a JWT by hand, for headers no honest signer would produce."""
    parts = [b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode())]
    return ".".join([*parts, b64url(signature)])


def query(db_path: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Run one read against the SQLite file and close the connection.

    Closing matters: Python 3.13 warns about unclosed connections, and
    warnings are errors in this suite.
    """
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def execute(db_path: str, sql: str, params: tuple = ()) -> None:
    """Run one write against the SQLite file, commit, and close the connection."""
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()
