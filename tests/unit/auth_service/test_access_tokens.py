"""Access-token verification: every way a forged or stale JWT is rejected."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

import jwt
import pytest

from apps.auth_service import AuthService, AuthSettings, InvalidToken, KeyRing, User
from tests.clock import FakeClock

from .support import b64url, forge_token

pytestmark = pytest.mark.security


def _claims(user: User, settings: AuthSettings, clock: FakeClock, **overrides: object) -> dict:
    now = int(clock())
    claims = {
        "sub": str(user.id),
        "username": user.username,
        "iat": now,
        "exp": now + settings.access_ttl_seconds,
        "iss": settings.issuer,
        "aud": settings.audience,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def _sign(keyring: KeyRing, payload: dict, **headers: object) -> str:
    kid = keyring.current_kid
    return jwt.encode(payload, keyring.secret_for(kid), algorithm="HS256", headers={"kid": kid, **headers})


def _hmac_token(header: dict, payload: dict, secret: bytes, digest) -> str:
    """A token whose signature is a real HMAC of its content under `digest`."""
    signing_input = ".".join([b64url(json.dumps(header).encode()), b64url(json.dumps(payload).encode())])
    signature = hmac.new(secret, signing_input.encode(), digest).digest()
    return f"{signing_input}.{b64url(signature)}"


def test_accepts_a_token_it_issued(service: AuthService, user: User) -> None:
    """A token from login verifies and carries the user's claims."""
    claims = service.verify_access_token(service.issue_tokens(user).access_token)
    assert (claims.sub, claims.username, claims.kid) == (str(user.id), "alice", service.keyring.current_kid)


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_rejects_alg_none(service: AuthService, user: User, settings, clock, alg: str) -> None:
    """Unsigned tokens (`alg: none`, any spelling) are rejected."""
    token = forge_token(
        {"alg": alg, "typ": "JWT", "kid": service.keyring.current_kid}, _claims(user, settings, clock)
    )
    with pytest.raises(InvalidToken, match="algorithm"):
        service.verify_access_token(token)


@pytest.mark.parametrize(
    ("alg", "digest"),
    [
        ("HS384", hashlib.sha384),
        ("HS512", hashlib.sha512),
        ("RS256", hashlib.sha256),
        ("ES256", hashlib.sha256),
    ],
)
def test_rejects_algorithms_other_than_hs256(
    service: AuthService, user: User, settings, clock, alg: str, digest
) -> None:
    """Tokens with another `alg` are rejected, even when HMAC-signed with the real key (alg confusion)."""
    kid = service.keyring.current_kid
    token = _hmac_token(
        {"alg": alg, "typ": "JWT", "kid": kid},
        _claims(user, settings, clock),
        service.keyring.secret_for(kid),
        digest,
    )
    with pytest.raises(InvalidToken, match="not allowed"):
        service.verify_access_token(token)


def test_rejects_unknown_kid(service: AuthService, user: User, settings, clock) -> None:
    """A token signed by a key the ring does not hold is rejected."""
    token = jwt.encode(
        _claims(user, settings, clock),
        secrets.token_bytes(32),
        algorithm="HS256",
        headers={"kid": "attacker"},
    )
    with pytest.raises(InvalidToken, match="unknown or retired key"):
        service.verify_access_token(token)


def test_rejects_missing_kid(service: AuthService, user: User, settings, clock) -> None:
    """A correctly signed token without a `kid` header is rejected."""
    secret = service.keyring.secret_for(service.keyring.current_kid)
    token = jwt.encode(_claims(user, settings, clock), secret, algorithm="HS256")
    with pytest.raises(InvalidToken, match="kid"):
        service.verify_access_token(token)


def test_rejects_non_string_kid(service: AuthService, user: User, settings, clock) -> None:
    """A `kid` that is not a string is rejected rather than looked up."""
    secret = service.keyring.secret_for(service.keyring.current_kid)
    token = _hmac_token({"alg": "HS256", "kid": 1}, _claims(user, settings, clock), secret, hashlib.sha256)
    with pytest.raises(InvalidToken):
        service.verify_access_token(token)


def test_rejects_wrong_issuer(service: AuthService, user: User, settings, clock) -> None:
    """A token issued by someone else (`iss`) is rejected."""
    token = _sign(service.keyring, _claims(user, settings, clock, iss="evil-issuer"))
    with pytest.raises(InvalidToken, match="issuer"):
        service.verify_access_token(token)


def test_rejects_wrong_audience(service: AuthService, user: User, settings, clock) -> None:
    """A token meant for another audience (`aud`) is rejected."""
    token = _sign(service.keyring, _claims(user, settings, clock, aud="other-api"))
    with pytest.raises(InvalidToken, match="audience"):
        service.verify_access_token(token)


def test_rejects_expired_token(service: AuthService, user: User, clock: FakeClock) -> None:
    """Expired tokens are rejected; the injected clock decides."""
    token = service.issue_tokens(user).access_token
    clock.advance(service.settings.access_ttl_seconds - 1)
    assert service.verify_access_token(token).username == "alice"
    clock.advance(1)
    with pytest.raises(InvalidToken, match="expired"):
        service.verify_access_token(token)


def test_rejects_token_issued_in_the_future(service: AuthService, user: User, settings, clock) -> None:
    """A token whose `iat` lies ahead of the clock is rejected."""
    token = _sign(service.keyring, _claims(user, settings, clock, iat=int(clock()) + 60))
    with pytest.raises(InvalidToken, match="future"):
        service.verify_access_token(token)


def test_rejects_tampered_payload(service: AuthService, user: User) -> None:
    """Changing the payload (here: the subject) breaks the signature."""
    service.register("mallory", "mallory-password")
    header, payload, signature = service.issue_tokens(user).access_token.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims.update(sub="2", username="mallory")
    forged = ".".join([header, b64url(json.dumps(claims).encode()), signature])
    with pytest.raises(InvalidToken, match="signature"):
        service.verify_access_token(forged)


def test_rejects_tampered_signature(service: AuthService, user: User) -> None:
    """A token with a altered signature is rejected."""
    header, payload, signature = service.issue_tokens(user).access_token.split(".")
    raw = bytearray(jwt.utils.base64url_decode(signature))
    raw[0] ^= 0x01
    with pytest.raises(InvalidToken, match="signature"):
        service.verify_access_token(".".join([header, payload, b64url(bytes(raw))]))


@pytest.mark.parametrize("claim", ["sub", "username", "iat", "exp", "iss", "aud"])
def test_rejects_token_missing_a_claim(service: AuthService, user: User, settings, clock, claim: str) -> None:
    """A correctly signed token lacking any required claim is rejected."""
    token = _sign(service.keyring, _claims(user, settings, clock, **{claim: None}))
    with pytest.raises(InvalidToken, match=claim):
        service.verify_access_token(token)


@pytest.mark.parametrize(
    ("claim", "value"), [("sub", "alice"), ("sub", "-1"), ("username", ""), ("exp", "soon"), ("iat", True)]
)
def test_rejects_claims_of_the_wrong_shape(
    service: AuthService, user: User, settings, clock, claim: str, value: object
) -> None:
    """Signed tokens whose claims have the wrong type or form are rejected."""
    token = _sign(service.keyring, _claims(user, settings, clock, **{claim: value}))
    with pytest.raises(InvalidToken):
        service.verify_access_token(token)


def test_rejects_token_of_disabled_user(service: AuthService, user: User) -> None:
    """Disabling an account invalidates its outstanding access tokens."""
    token = service.issue_tokens(user).access_token
    service.disable("alice")
    with pytest.raises(InvalidToken, match="disabled"):
        service.verify_access_token(token)


def test_rejects_token_for_a_user_that_does_not_exist(
    service: AuthService, user: User, settings, clock
) -> None:
    """A validly signed token naming an unknown user id is rejected."""
    token = _sign(service.keyring, _claims(user, settings, clock, sub="999"))
    with pytest.raises(InvalidToken, match="user"):
        service.verify_access_token(token)


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c", "....", None])
def test_rejects_malformed_tokens(service: AuthService, user: User, token: object) -> None:
    """Garbage in the bearer slot is an `InvalidToken`, never a crash."""
    with pytest.raises(InvalidToken):
        service.verify_access_token(token)  # type: ignore[arg-type]


def test_rejects_token_from_another_service_with_its_own_keys(
    user: User, service: AuthService, settings, clock
) -> None:
    """A service with different keys but the same issuer cannot mint tokens this one accepts."""
    other = AuthService(settings, keyring=KeyRing.generate(), clock=clock)
    token = other.issue_tokens(user).access_token
    with pytest.raises(InvalidToken, match="unknown or retired key"):
        service.verify_access_token(token)


def test_rejects_signed_token_whose_payload_is_not_json(service: AuthService) -> None:
    """A correctly signed token with a non-JSON payload is rejected, not crashed on."""
    kid = service.keyring.current_kid
    signing_input = b64url(json.dumps({"alg": "HS256", "kid": kid}).encode()) + "." + b64url(b"not json")
    signature = hmac.new(service.keyring.secret_for(kid), signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidToken, match="invalid"):
        service.verify_access_token(f"{signing_input}.{b64url(signature)}")
