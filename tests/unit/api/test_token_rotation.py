"""Refresh-token rotation under reuse, token expiry and the login throttling window, over HTTP.

Time moves with the injected clock (tests.unit.api.helpers.FakeClock), never by sleeping.
"""

from __future__ import annotations

import pytest

from tests.unit.api.helpers import PASSWORD, assert_problem, bearer, register

pytestmark = pytest.mark.reliability


def refresh(client, token: str):
    return client.post("/v1/auth/refresh", json={"refresh_token": token})


def fail_login(client, username: str = "alice"):
    return client.post("/v1/auth/token", data={"username": username, "password": "wrong password"})


def test_refresh_token_works_once(client, tokens):
    """A refresh token is rotated on use: the second use is rejected with 401."""
    assert refresh(client, tokens["refresh_token"]).status_code == 200
    assert_problem(refresh(client, tokens["refresh_token"]), 401, "invalid-token")


def test_reuse_revokes_the_whole_family(client, tokens):
    """After a reuse, the token the first rotation issued is revoked too."""
    rotated = refresh(client, tokens["refresh_token"]).json()
    refresh(client, tokens["refresh_token"])
    assert_problem(refresh(client, rotated["refresh_token"]), 401, "invalid-token")


def test_reuse_says_the_session_was_revoked(client, tokens):
    """The reuse answer tells the client to log in again."""
    refresh(client, tokens["refresh_token"])
    body = refresh(client, tokens["refresh_token"]).json()
    assert "already used" in body["detail"]


def test_reuse_leaves_other_sessions_alone(client, tokens):
    """Revoking one login's family does not end the user's other logins."""
    other = client.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD}).json()
    refresh(client, tokens["refresh_token"])
    refresh(client, tokens["refresh_token"])
    assert refresh(client, other["refresh_token"]).status_code == 200


def test_unknown_refresh_token_is_401(client):
    """A refresh token the service never issued -> 401."""
    assert_problem(refresh(client, "not-a-real-refresh-token"), 401, "invalid-token")


def test_expired_refresh_token_is_401(client, tokens, clock):
    """A refresh token past its 14-day lifetime -> 401."""
    clock.advance(1_209_600 + 1)
    assert_problem(refresh(client, tokens["refresh_token"]), 401, "invalid-token")


def test_access_token_expires_by_the_clock(client, tokens, clock):
    """An access token works until its 15 minutes pass, then /v1/me answers 401."""
    headers = bearer(tokens["access_token"])
    clock.advance(899)
    assert client.get("/v1/me", headers=headers).status_code == 200
    clock.advance(2)
    assert_problem(client.get("/v1/me", headers=headers), 401, "invalid-token")


def test_refresh_after_access_expiry_restores_access(client, tokens, clock):
    """An expired access token is replaced through the refresh endpoint."""
    clock.advance(1000)
    fresh = refresh(client, tokens["refresh_token"]).json()
    assert client.get("/v1/me", headers=bearer(fresh["access_token"])).status_code == 200


def test_fifth_failure_locks_and_next_attempt_is_429(client):
    """Five failed logins lock the account: the next attempt -> 429 with Retry-After."""
    register(client, "alice")
    assert [fail_login(client).status_code for _ in range(5)] == [401] * 5
    response = client.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    body = assert_problem(response, 429, "account-locked")
    assert response.headers["Retry-After"] == "900" and body["retry_after"] == 900


def test_retry_after_counts_down_with_the_clock(client, clock):
    """Retry-After is the remaining lock time by the injected clock."""
    register(client, "alice")
    for _ in range(5):
        fail_login(client)
    clock.advance(600)
    assert fail_login(client).headers["Retry-After"] == "300"


def test_lock_ends_after_the_lockout_period(client, clock):
    """Fifteen minutes after locking, the right password works again."""
    register(client, "alice")
    for _ in range(5):
        fail_login(client)
    clock.advance(901)
    response = client.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200


def test_failures_outside_the_window_do_not_lock(client, clock):
    """Failures older than the 15-minute window do not count towards a lock."""
    register(client, "alice")
    for _ in range(4):
        fail_login(client)
    clock.advance(901)
    assert fail_login(client).status_code == 401
    response = client.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
