"""Plain helpers for the API tests (fixtures are in conftest.py).

Token forging uses the KeyRing JSON format of `APP_SIGNING_KEYS`
(`[{"kid": ..., "secret": <base64url>}]`) and PyJWT, like an attacker holding
(or guessing) a key would.
"""

from __future__ import annotations

import base64
import io
import json
import secrets
from typing import Any

import jwt
from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"
START = 1_750_000_000.0
ISSUER = "themed-monorepo"
AUDIENCE = "themed-monorepo-api"
PROBLEM_JSON = "application/problem+json"


def register(client: TestClient, username: str, password: str = PASSWORD) -> dict:
    response = client.post("/v1/auth/register", json={"username": username, "password": password})
    assert response.status_code == 201, response.text
    return response.json()


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict:
    response = client.post("/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value).encode())


def newest_key(signing_keys: str) -> tuple[str, bytes]:
    """(kid, secret) of the key the app signs with: the last one in the ring JSON."""
    entry = json.loads(signing_keys)[-1]
    padded = entry["secret"] + "=" * (-len(entry["secret"]) % 4)
    return entry["kid"], base64.urlsafe_b64decode(padded)


def claims(user_id: int, username: str, now: float = START, **overrides: Any) -> dict[str, Any]:
    payload = {
        "sub": str(user_id),
        "username": username,
        "iat": int(now),
        "exp": int(now) + 900,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    payload.update(overrides)
    return payload


def forge(payload: dict, secret: bytes, *, kid: str | None, algorithm: str = "HS256") -> str:
    headers = {} if kid is None else {"kid": kid}
    return jwt.encode(payload, secret, algorithm=algorithm, headers=headers)


def random_secret() -> bytes:
    return secrets.token_bytes(32)


def log_records(buffer: io.StringIO) -> list[dict]:
    """The JSON objects logging_lib wrote, one per line."""
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def access_lines(buffer: io.StringIO) -> list[dict]:
    return [record for record in log_records(buffer) if record["logger"] == "apps.api.access"]


def assert_problem(response, status: int, type_suffix: str) -> dict:
    """Assert an RFC 9457 body with the given status and type; return the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith(f":{type_suffix}")
    assert {"type", "title", "status", "detail", "instance"} <= set(body)
    return body
