"""Refresh-token handling and signing-key rotation, as security properties."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from apps.auth_service import AuthService, InvalidToken, KeyRing, TokenReused, User
from tests.clock import FakeClock

from .support import PASSWORD, execute, query

pytestmark = pytest.mark.security


def test_refresh_rotates_the_token(service: AuthService, user: User) -> None:
    """A refresh returns a new, different refresh token and a working access token."""
    first = service.login("alice", PASSWORD)
    second = service.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    assert service.verify_access_token(second.access_token).username == "alice"


def test_reuse_of_rotated_token_revokes_family(service: AuthService, user: User) -> None:
    """Replaying a rotated refresh token raises `TokenReused` and kills its successor too."""
    first = service.login("alice", PASSWORD)
    second = service.refresh(first.refresh_token)
    with pytest.raises(TokenReused):
        service.refresh(first.refresh_token)
    with pytest.raises(InvalidToken, match="revoked"):
        service.refresh(second.refresh_token)


def test_token_reused_is_an_invalid_token() -> None:
    """Callers that only handle `InvalidToken` also reject reuse."""
    assert issubclass(TokenReused, InvalidToken)


def test_rejects_unknown_refresh_token(service: AuthService, user: User) -> None:
    """A refresh token the service never issued is rejected."""
    with pytest.raises(InvalidToken, match="unknown"):
        service.refresh("made-up-token")


@pytest.mark.parametrize("token", ["", None, 123])
def test_rejects_missing_refresh_token(service: AuthService, token: object) -> None:
    """Empty or non-string refresh tokens are rejected."""
    with pytest.raises(InvalidToken):
        service.refresh(token)  # type: ignore[arg-type]


def test_refresh_tokens_stored_only_as_sha256(service: AuthService, user: User, db_path: str) -> None:
    """The database holds the SHA-256 of a refresh token, never the token itself."""
    pair = service.login("alice", PASSWORD)
    assert pair.refresh_token.encode() not in Path(db_path).read_bytes()
    hashes = [row[0] for row in query(db_path, "SELECT token_hash FROM auth_refresh_tokens")]
    assert hashes == [hashlib.sha256(pair.refresh_token.encode()).hexdigest()]


def test_refresh_tokens_are_opaque_and_random(service: AuthService, user: User) -> None:
    """Refresh tokens are not JWTs and carry at least 256 bits."""
    tokens = {service.issue_tokens(user).refresh_token for _ in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert "." not in token and len(token) >= 43


def test_disable_revokes_refresh_tokens(service: AuthService, user: User) -> None:
    """Disabling a user revokes every refresh token they hold."""
    pair = service.login("alice", PASSWORD)
    service.disable("alice")
    with pytest.raises(InvalidToken, match="revoked"):
        service.refresh(pair.refresh_token)


def test_refresh_rejected_for_account_disabled_outside_the_service(
    service: AuthService, user: User, db_path: str
) -> None:
    """Even if another tool disables a user without revoking tokens, refresh checks the account."""
    pair = service.login("alice", PASSWORD)
    execute(db_path, "UPDATE auth_users SET disabled = 1 WHERE username = 'alice'")
    with pytest.raises(InvalidToken, match="disabled"):
        service.refresh(pair.refresh_token)


def test_token_pair_repr_hides_tokens(service: AuthService, user: User) -> None:
    """A logged TokenPair does not leak either token."""
    pair = service.login("alice", PASSWORD)
    assert pair.access_token not in repr(pair) and pair.refresh_token not in repr(pair)


def test_rotation_signs_with_newest_key(service: AuthService, user: User) -> None:
    """After `rotate()` new tokens carry the new kid."""
    new_kid = service.keyring.rotate()
    assert service.verify_access_token(service.issue_tokens(user).access_token).kid == new_kid


def test_old_tokens_verify_while_old_key_in_ring(service: AuthService, user: User) -> None:
    """Tokens signed before a rotation keep verifying while their key stays in the ring."""
    old_kid = service.keyring.current_kid
    token = service.issue_tokens(user).access_token
    service.keyring.rotate()
    assert service.verify_access_token(token).kid == old_kid


def test_old_tokens_fail_after_key_retired(service: AuthService, user: User) -> None:
    """Retiring a key invalidates every token it signed."""
    old_kid = service.keyring.current_kid
    token = service.issue_tokens(user).access_token
    service.keyring.rotate()
    service.keyring.retire(old_kid)
    with pytest.raises(InvalidToken, match="unknown or retired key"):
        service.verify_access_token(token)


def test_restored_ring_verifies_tokens(service: AuthService, user: User, settings, clock: FakeClock) -> None:
    """A ring serialised with `to_json` and loaded elsewhere verifies the same tokens."""
    token = service.issue_tokens(user).access_token
    other = AuthService(settings, keyring=KeyRing.from_json(service.keyring.to_json()), clock=clock)
    assert other.verify_access_token(token).username == "alice"


def test_keyring_repr_hides_secrets(keyring: KeyRing) -> None:
    """A logged KeyRing shows kids only, never secrets."""
    secret = json.loads(keyring.to_json())[0]["secret"]
    assert secret not in repr(keyring) and keyring.current_kid in repr(keyring)


def test_keyring_errors_never_echo_secrets() -> None:
    """A too-short secret is reported without its value."""
    with pytest.raises(ValueError) as error:
        KeyRing.from_json('[{"kid": "k1", "secret": "c2hvcnQtc2VjcmV0"}]')
    assert "c2hvcnQtc2VjcmV0" not in str(error.value) and "k1" in str(error.value)


def test_generated_keys_are_at_least_32_random_bytes() -> None:
    """Generated secrets meet RFC 7518's HS256 minimum and differ between rings."""
    secrets_ = [json.loads(KeyRing.generate().to_json())[0]["secret"] for _ in range(3)]
    assert len(set(secrets_)) == 3
    assert all(len(s) >= 43 for s in secrets_)
