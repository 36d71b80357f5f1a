"""Every way a bearer token can be wrong is rejected with a 401 problem, through the HTTP layer.

Forged tokens are made with PyJWT and the app's real signing key where the
attack needs one (tests.unit.api.helpers.forge), exactly as an attacker who
stole or guessed parts of a token would make them.
"""

from __future__ import annotations

import warnings

import pytest
from jwt.warnings import InsecureKeyLengthWarning

from tests.unit.api.helpers import (
    PASSWORD,
    START,
    assert_problem,
    b64url_json,
    bearer,
    claims,
    forge,
    log_records,
    newest_key,
    random_secret,
)

pytestmark = pytest.mark.security

INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"'


@pytest.fixture
def alice_id(client, tokens) -> int:
    return client.get("/v1/me", headers=bearer(tokens["access_token"])).json()["id"]


def me(client, token: str):
    return client.get("/v1/me", headers=bearer(token))


def assert_rejected(response) -> None:
    assert_problem(response, 401, "invalid-token")
    assert response.headers["WWW-Authenticate"] == INVALID_TOKEN_CHALLENGE


def test_rejects_request_without_token(client):
    """No Authorization header -> 401 with a plain Bearer challenge."""
    response = client.get("/v1/notes")
    assert_problem(response, 401, "authentication-required")
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["Basic YWxpY2U6cGFzc3dvcmQ=", "Bearer", "Bearer ", "Bearer two tokens", "Token abc.def.ghi"],
    ids=["basic", "no-token", "empty-token", "two-tokens", "other-scheme"],
)
def test_rejects_malformed_authorization_header(client, header):
    """An Authorization header that is not `Bearer <token>` -> 401 invalid_request."""
    response = client.get("/v1/me", headers={"Authorization": header})
    assert_problem(response, 401, "authentication-required")
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_request"'


def test_rejects_garbage_token(client):
    """A bearer value that is not a JWT -> 401."""
    assert_rejected(me(client, "not-a-jwt"))


def test_rejects_expired_token(client, signing_keys, alice_id):
    """A correctly signed token whose exp has passed -> 401."""
    kid, secret = newest_key(signing_keys)
    token = forge(claims(alice_id, "alice", iat=int(START) - 1000, exp=int(START) - 1), secret, kid=kid)
    assert_rejected(me(client, token))


def test_rejects_tampered_signature(client, tokens):
    """A token whose signature was altered -> 401."""
    header, payload, signature = tokens["access_token"].split(".")
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    assert_rejected(me(client, f"{header}.{payload}.{flipped}"))


def test_rejects_tampered_payload(client, tokens):
    """Changing the claims (here: the subject) without re-signing -> 401."""
    header, _, signature = tokens["access_token"].split(".")
    payload = b64url_json(claims(2, "mallory"))
    assert_rejected(me(client, f"{header}.{payload}.{signature}"))


def test_rejects_alg_none(client, signing_keys, alice_id):
    """An unsigned token with alg none -> 401."""
    kid, _ = newest_key(signing_keys)
    header = b64url_json({"alg": "none", "typ": "JWT", "kid": kid})
    assert_rejected(me(client, f"{header}.{b64url_json(claims(alice_id, 'alice'))}."))


def test_rejects_other_hmac_algorithm(client, signing_keys, alice_id):
    """A token signed with HS512 (even with the real key) -> 401: only HS256 is allowed."""
    kid, secret = newest_key(signing_keys)
    with warnings.catch_warnings():
        # PyJWT warns that a 32-byte key is short for HS512; the forgery wants exactly that key.
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        token = forge(claims(alice_id, "alice"), secret, kid=kid, algorithm="HS512")
    assert_rejected(me(client, token))


def test_rejects_wrong_audience(client, signing_keys, alice_id):
    """A token for another audience -> 401."""
    kid, secret = newest_key(signing_keys)
    assert_rejected(me(client, forge(claims(alice_id, "alice", aud="another-api"), secret, kid=kid)))


def test_rejects_wrong_issuer(client, signing_keys, alice_id):
    """A token from another issuer -> 401."""
    kid, secret = newest_key(signing_keys)
    assert_rejected(me(client, forge(claims(alice_id, "alice", iss="evil-issuer"), secret, kid=kid)))


def test_rejects_unknown_kid(client, alice_id):
    """A token naming a key id the ring does not have -> 401."""
    assert_rejected(me(client, forge(claims(alice_id, "alice"), random_secret(), kid="unknown-kid")))


def test_rejects_missing_kid(client, signing_keys, alice_id):
    """A token without a kid header, even if signed with the real key -> 401."""
    _, secret = newest_key(signing_keys)
    assert_rejected(me(client, forge(claims(alice_id, "alice"), secret, kid=None)))


def test_rejects_known_kid_with_foreign_secret(client, signing_keys, alice_id):
    """A token claiming the real kid but signed with another secret -> 401."""
    kid, _ = newest_key(signing_keys)
    assert_rejected(me(client, forge(claims(alice_id, "alice"), random_secret(), kid=kid)))


def test_rejects_token_missing_a_claim(client, signing_keys, alice_id):
    """A correctly signed token without exp -> 401."""
    kid, secret = newest_key(signing_keys)
    payload = claims(alice_id, "alice")
    del payload["exp"]
    assert_rejected(me(client, forge(payload, secret, kid=kid)))


def test_rejects_refresh_token_used_as_access_token(client, tokens):
    """An opaque refresh token is not a bearer access token -> 401."""
    assert_rejected(me(client, tokens["refresh_token"]))


def test_rejects_access_token_used_as_refresh_token(client, tokens):
    """POST /v1/auth/refresh with an access token -> 401."""
    response = client.post("/v1/auth/refresh", json={"refresh_token": tokens["access_token"]})
    assert_problem(response, 401, "invalid-token")


def test_rejects_token_of_disabled_user(client, app, tokens):
    """After the account is disabled, its still-unexpired access token -> 401."""
    app.state.services.auth.disable("alice")
    assert_rejected(me(client, tokens["access_token"]))


def test_disabled_account_cannot_log_in(client, app, tokens):
    """The right password of a disabled account -> 403 problem, no tokens."""
    app.state.services.auth.disable("alice")
    response = client.post("/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert_problem(response, 403, "account-disabled")
    assert "access_token" not in response.text


def test_disabled_account_refresh_tokens_are_revoked(client, app, tokens):
    """Disabling an account revokes its refresh tokens: refresh -> 401."""
    app.state.services.auth.disable("alice")
    response = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(response, 401, "invalid-token")


def test_accepts_forged_token_only_when_everything_is_right(client, signing_keys, alice_id):
    """Control: a token built like the forgeries above but fully valid is accepted."""
    kid, secret = newest_key(signing_keys)
    assert me(client, forge(claims(alice_id, "alice"), secret, kid=kid)).status_code == 200


def test_rejection_reason_goes_to_the_log(client, signing_keys, alice_id, log_output):
    """The precise reason for a rejection is logged for operators, with the request id."""
    kid, secret = newest_key(signing_keys)
    response = me(client, forge(claims(alice_id, "alice", aud="another-api"), secret, kid=kid))
    (record,) = [r for r in log_records(log_output) if r["message"] == "token rejected"]
    assert "audience" in record["reason"]
    assert record["request_id"] == response.headers["X-Request-ID"]


def test_rejection_detail_does_not_reveal_the_reason(client, alice_id):
    """All invalid tokens get one message; the precise reason goes to the log only."""
    details = {
        me(client, token).json()["detail"]
        for token in ("garbage", forge(claims(alice_id, "alice"), random_secret(), kid="nope"))
    }
    assert len(details) == 1
