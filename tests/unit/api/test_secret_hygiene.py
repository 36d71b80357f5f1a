"""Passwords and tokens never appear in a response body or in any log line.

Each test captures everything logging_lib writes (the `log_output` fixture) and
asserts over the whole output, not just the lines it expects.
"""

from __future__ import annotations

import pytest

from apps.api import Settings
from apps.api.settings import SettingsError
from tests.unit.api.helpers import PASSWORD, assert_problem, login, register

pytestmark = pytest.mark.security

WRONG_PASSWORD = "Wr0ng-but-still-a-secret"


def test_register_response_never_contains_password_or_hash(client, log_output):
    """The 201 body has id, username and created_at only: no password, no argon2 hash."""
    response = client.post("/v1/auth/register", json={"username": "alice", "password": PASSWORD})
    assert set(response.json()) == {"id", "username", "created_at"}
    assert PASSWORD not in response.text and "$argon2" not in response.text
    assert PASSWORD not in log_output.getvalue()


@pytest.mark.parametrize(
    "body",
    [
        {"username": "alice", "password": PASSWORD, "extra": "field"},
        {"password": PASSWORD},
        {"username": ["not", "a", "string"], "password": PASSWORD},
        {"username": "alice", "password": PASSWORD * 40},
        {"username": "x", "password": PASSWORD},
    ],
    ids=["extra-field", "missing-username", "bad-username-type", "password-too-long", "rule-break"],
)
def test_validation_errors_never_echo_the_password(client, log_output, body):
    """A 422 for any reason never quotes the submitted password, in the body or the log."""
    response = client.post("/v1/auth/register", json=body)
    assert_problem(response, 422, "validation-failed")
    assert PASSWORD not in response.text
    assert PASSWORD not in log_output.getvalue()


def test_short_password_rule_is_explained_without_echo(client):
    """Breaking the password rule says which rule, without quoting the password."""
    response = client.post("/v1/auth/register", json={"username": "alice", "password": "tiny7"})
    body = assert_problem(response, 422, "validation-failed")
    assert "password" in body["detail"] and "tiny7" not in response.text


def test_failed_logins_and_lockout_never_log_the_password(client, log_output):
    """Wrong passwords, the lockout and the 429 leave no password in responses or logs."""
    register(client, "alice")
    texts = [
        client.post("/v1/auth/token", data={"username": "alice", "password": WRONG_PASSWORD}).text
        for _ in range(6)
    ]
    texts.append(client.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD}).text)
    output = log_output.getvalue()
    for secret in (PASSWORD, WRONG_PASSWORD):
        assert secret not in output
        assert all(secret not in text for text in texts)


def test_tokens_never_appear_in_logs(client, log_output):
    """A full login, refresh, reuse and authenticated call log no access or refresh token."""
    register(client, "alice")
    first = login(client, "alice")
    second = client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    client.get("/v1/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    output = log_output.getvalue()
    for token in (first["access_token"], first["refresh_token"], second["access_token"]):
        assert token not in output


def test_access_log_never_records_the_query_string(client, log_output):
    """Query parameters (where clients sometimes put secrets) stay out of the access log."""
    client.get("/healthz?access_token=leaked-token-value&password=" + PASSWORD)
    output = log_output.getvalue()
    assert "leaked-token-value" not in output and PASSWORD not in output


def test_unknown_user_and_wrong_password_look_identical(client):
    """Login failures do not reveal whether the username exists."""
    register(client, "alice")
    known = client.post("/v1/auth/token", data={"username": "alice", "password": WRONG_PASSWORD})
    unknown = client.post("/v1/auth/token", data={"username": "nobody", "password": WRONG_PASSWORD})
    assert known.status_code == unknown.status_code == 401
    assert without_request_id(known.json()) == without_request_id(unknown.json())


def without_request_id(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "request_id"}


def test_token_responses_are_not_cacheable(client):
    """Responses carrying tokens say Cache-Control: no-store."""
    register(client, "alice")
    response = client.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert response.headers["Cache-Control"] == "no-store"


def test_settings_repr_hides_signing_keys(settings, signing_keys):
    """A logged Settings object does not carry the signing secrets."""
    assert signing_keys not in repr(settings) and "signing_keys=set" in repr(settings)


def test_malformed_keys_error_does_not_quote_the_secret():
    """The start-up error for bad APP_SIGNING_KEYS names the variable but not the secret."""
    secret = "c2hvcnQtYnV0LXNlY3JldA"
    with pytest.raises(SettingsError) as excinfo:
        Settings(env="dev", signing_keys=f'[{{"kid": "k1", "secret": "{secret}"}}]')
    assert "APP_SIGNING_KEYS" in str(excinfo.value) and secret not in str(excinfo.value)
