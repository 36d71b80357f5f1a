"""Security headers on every response, and request ids that cannot be abused."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from apps.api import Settings, create_app

pytestmark = pytest.mark.security

BASELINE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
CSP = "default-src 'none'; frame-ancestors 'none'"


@pytest.mark.parametrize("path", ["/healthz", "/v1/me", "/nope", "/openapi.json"])
def test_baseline_security_headers_on_every_response(client, path):
    """nosniff, DENY framing and no-referrer are on successes and errors alike."""
    headers = client.get(path).headers
    assert {name: headers.get(name) for name in BASELINE} == BASELINE


def test_api_responses_carry_a_deny_all_csp(client):
    """JSON responses carry a CSP that allows nothing and no framing."""
    assert client.get("/healthz").headers["Content-Security-Policy"] == CSP


def test_auth_responses_are_no_store(client):
    """Auth endpoints answer with Cache-Control: no-store, errors included."""
    response = client.post("/v1/auth/refresh", json={"refresh_token": "nope"})
    assert response.headers["Cache-Control"] == "no-store"


def test_no_hsts_outside_prod(client):
    """Strict-Transport-Security is not sent in test (plain-HTTP development stays usable)."""
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_hsts_in_prod(tmp_path, signing_keys):
    """In prod every response carries Strict-Transport-Security."""
    app = create_app(Settings(env="prod", db_path=str(tmp_path / "p.db"), signing_keys=signing_keys))
    with TestClient(app) as client:
        hsts = client.get("/healthz").headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31_536_000


def test_echoes_a_sane_request_id(client):
    """A client's X-Request-ID made of [A-Za-z0-9._-] is echoed back unchanged."""
    response = client.get("/healthz", headers={"X-Request-ID": "abc.DEF_123-x"})
    assert response.headers["X-Request-ID"] == "abc.DEF_123-x"


def test_generates_a_request_id_when_absent(client):
    """Without X-Request-ID the response carries a fresh uuid4 hex id, different per request."""
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


@pytest.mark.parametrize(
    "junk",
    ["a" * 129, "has space", "semi;colon", "../../etc/passwd", "ünïcode", ""],
    ids=["too-long", "space", "semicolon", "path", "non-ascii", "empty"],
)
def test_replaces_junk_request_ids(client, log_output, junk):
    """An X-Request-ID outside [A-Za-z0-9._-]{1,128} is replaced, never echoed or logged."""
    response = client.get("/healthz", headers={"X-Request-ID": junk.encode("utf-8")})
    echoed = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)
    if junk:
        assert junk not in log_output.getvalue()


def test_accepts_request_id_of_maximum_length(client):
    """Exactly 128 allowed characters is still accepted."""
    request_id = "r" * 128
    response = client.get("/healthz", headers={"X-Request-ID": request_id})
    assert response.headers["X-Request-ID"] == request_id
